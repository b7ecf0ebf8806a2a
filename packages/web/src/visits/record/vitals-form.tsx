/** STUB — the telepresenter's vitals entry during a visit. */
export function VitalsForm(_props: { readonly appointmentId: string }) {
  return null;
}
