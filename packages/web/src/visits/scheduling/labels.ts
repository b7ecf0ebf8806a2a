/** Words for the codes of the scheduling contract, and the messages its errors deserve. */
import type { TAppointmentStatus } from '@careline/contracts';
import type { TVisitMode } from '@careline/contracts';
import type { TFunction } from 'i18next';
import { errorMessage } from '../../api/error-message';
import { ApiError } from '../../api/http';

export const modeLabel = (t: TFunction, mode: TVisitMode): string => t(`scheduling.mode.${mode}`);
export const statusLabel = (t: TFunction, status: TAppointmentStatus): string => t(`scheduling.status.${status}`);

/** Languages offered at booking (the clinic's most common; any BCP 47 tag is accepted by the server). */
export const LANGUAGE_CHOICES = ['en', 'es', 'zh', 'vi', 'tl', 'ar', 'fr', 'ht', 'ko', 'ru', 'pt', 'pl', 'de', 'hi', 'asl'] as const;

/** A language's own-language-aware name, e.g. 'es' → "Spanish" in English, "español" in Spanish. */
export function languageName(uiLanguage: string, tag: string): string {
  if (tag === 'asl') return 'ASL';
  try {
    return new Intl.DisplayNames([uiLanguage], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/** The message for an error of a scheduling call: a taken slot and the clinic's rules get their own words. */
export function schedulingError(t: TFunction, err: unknown): string {
  if (err instanceof ApiError) {
    if (err.code === 'slot-unavailable') return t('scheduling.picker.taken');
    if (err.code === 'booking-rule') return t('scheduling.errors.rule');
    if (err.code === 'visit-cancelled') return t('scheduling.errors.cancelled');
  }
  return errorMessage(t, err);
}

export const isSlotTaken = (err: unknown) => err instanceof ApiError && err.code === 'slot-unavailable';
export const isBookingRule = (err: unknown) => err instanceof ApiError && err.code === 'booking-rule';
