import type { TFunction } from 'i18next';
import { AUDIT_ACTIONS, AUDIT_KINDS } from '../api/audit-api';
import { ROLES, type TRole } from '../api/auth-api';

/** Readable labels for audit codes, in the user's language; unknown codes are shown as they are. */
export function actionLabel(t: TFunction, action: string): string {
  const a = AUDIT_ACTIONS.find((x) => x === action);
  return a ? t(`audit.actions.${a}`) : action;
}

export function outcomeLabel(t: TFunction, outcome: number): string {
  switch (outcome) {
    case 0:
      return t('audit.outcomes.0');
    case 4:
      return t('audit.outcomes.4');
    case 8:
      return t('audit.outcomes.8');
    case 12:
      return t('audit.outcomes.12');
    default:
      return String(outcome);
  }
}

export function kindLabel(t: TFunction, kind: string): string {
  const k = AUDIT_KINDS.find((x) => x === kind);
  return k ? t(`audit.kinds.${k}`) : kind;
}

export function roleLabel(t: TFunction, role: string | null): string | undefined {
  const r: TRole | undefined = ROLES.find((x) => x === role);
  return r ? t(`roles.${r}`) : undefined;
}
