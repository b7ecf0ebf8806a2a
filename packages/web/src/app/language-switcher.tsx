import { NativeSelect } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { changeLanguage } from '../i18n';
import { isLanguage, LANGUAGES } from '../i18n/language';

export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  return (
    <NativeSelect
      aria-label={t('app.language')}
      size="sm"
      value={i18n.language}
      onChange={(e) => {
        const value = e.currentTarget.value;
        if (isLanguage(value)) void changeLanguage(value);
      }}
      data={LANGUAGES.map((code) => ({ value: code, label: t(`languages.${code}`) }))}
    />
  );
}
