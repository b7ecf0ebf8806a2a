import { PasswordInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';

interface FieldProps {
  readonly name: string;
  readonly id: string;
  readonly value: string;
  readonly onChange: (e: React.ChangeEvent<HTMLInputElement>) => void;
  readonly error: string | undefined;
}

/** A new password and its confirmation, with the rules stated up front (WCAG 3.3.2). */
export function NewPasswordFields({ password, confirm, labels }: { readonly password: FieldProps; readonly confirm: FieldProps; readonly labels: { readonly password: string; readonly confirm: string } }) {
  const { t } = useTranslation();
  return (
    <>
      <PasswordInput label={labels.password} description={t('reset.rules')} autoComplete="new-password" required {...password} />
      <PasswordInput label={labels.confirm} autoComplete="new-password" required {...confirm} />
    </>
  );
}
