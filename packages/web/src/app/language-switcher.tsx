import { NativeSelect } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { savePreferences } from '../api/auth-api';
import { useMe } from '../auth/session';
import { changeLanguage } from '../i18n';
import { isLanguage, LANGUAGES } from '../i18n/language';

export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  return (
    <NativeSelect
      aria-label={t('app.language')}
      size="sm"
      value={i18n.language}
      onChange={(e) => {
        const value = e.currentTarget.value;
        if (!isLanguage(value)) return;
        void changeLanguage(value);
        // Signed in: remembered on the account too (best effort; the device keeps it regardless).
        if (me.data) void savePreferences(value).catch(() => undefined);
      }}
      data={LANGUAGES.map((code) => ({ value: code, label: t(`languages.${code}`) }))}
    />
  );
}
