import type { TVitalEvent } from '@careline/contracts';

/** STUB — vitals recorded during the visit, shown live on the clinician's screen. */
export function LiveVitals(_props: { readonly vitals: readonly TVitalEvent[] }) {
  return null;
}
