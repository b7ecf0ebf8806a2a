import { patientCompartmentParams } from '../definitions/patient-compartment.js';
import type { IndexRow } from './index-row.js';

/**
 * The Patient compartments a resource is in: for each compartment parameter of its type
 * (https://hl7.org/fhir/R4/compartmentdefinition-patient.html), the local Patients it references;
 * and a Patient is in its own compartment. References to other servers name other patients.
 */
export function patientCompartmentsOf(resourceType: string, id: string | null, rows: readonly IndexRow[]): string[] {
  const params = patientCompartmentParams(resourceType);
  const out = new Set<string>();
  if (resourceType === 'Patient' && id !== null) out.add(`Patient/${id}`);
  if (params.length > 0) {
    for (const row of rows) {
      if (row.kind === 'reference' && row.targetType === 'Patient' && row.ref.startsWith('Patient/') && params.includes(row.param)) out.add(row.ref);
    }
  }
  return [...out].sort();
}
