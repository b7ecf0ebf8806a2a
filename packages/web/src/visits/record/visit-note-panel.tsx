/** STUB — the clinician's note panel for a visit (SOAP, diagnoses, prescriptions), embedded in the visit room. */
export function VisitNotePanel(_props: { readonly appointmentId: string }) {
  return null;
}
