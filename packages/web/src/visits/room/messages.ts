/**
 * Messages of this feature, merged into the catalogues under `visit.*` (i18n/en.ts, i18n/es.ts).
 * English is the reference; Spanish must have exactly the same keys (checked by the type-checker).
 */
export const visitEn = {
  title: 'Video visit',
} as const;

type Widen<T> = { -readonly [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
export const visitEs: Widen<typeof visitEn> = {
  title: 'Visita por video',
};
