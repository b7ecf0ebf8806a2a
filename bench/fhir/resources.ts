import { randomUUID } from 'node:crypto';
import { bloodPressure, patient } from '../../packages/server/src/fhir/test-support/fhir-fixtures.js';

/** The bench's data: the BP panel Observation of the FHIR tests, with varying subjects, dates and values. */

const TWO_YEARS_MS = 2 * 365 * 86_400_000;

export function pick<T>(values: readonly T[]): T {
  const value = values[Math.floor(Math.random() * values.length)];
  if (value === undefined) throw new Error('pick from an empty list');
  return value;
}

function between(low: number, high: number): number {
  return low + Math.floor(Math.random() * (high - low + 1));
}

/** An instant in the last two years, to the second, as devices send them. */
function randomWhen(): string {
  return new Date(Date.now() - Math.floor(Math.random() * TWO_YEARS_MS)).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A blood-pressure panel (LOINC 85354-9 with 8480-6 / 8462-4) for a random one of the patients. */
export function randomObservation(patientIds: readonly string[]): Record<string, unknown> {
  return bloodPressure(pick(patientIds), randomWhen(), between(100, 170), between(60, 100));
}

export function numberedPatient(n: number): Record<string, unknown> {
  return patient(`Bench${n}`, 'Pat', `19${String(40 + (n % 60)).padStart(2, '0')}-0${1 + (n % 9)}-1${n % 10}`);
}

/** A transaction Bundle that POSTs each resource (no fullUrl: nothing refers to them). */
export function transactionBundle(resources: readonly Record<string, unknown>[]): string {
  return JSON.stringify({
    resourceType: 'Bundle',
    type: 'transaction',
    entry: resources.map((resource) => ({ resource, request: { method: 'POST', url: String(resource.resourceType) } })),
  });
}

/**
 * The JSON text Careline would store for one Observation (id and meta first): what the raw
 * ceiling inserts, so both write the same bytes.
 */
export function storedObservationText(patientId: string): string {
  const { resourceType, ...rest } = bloodPressure(patientId, '2026-01-02T03:04:05Z');
  return JSON.stringify({ resourceType, id: randomUUID(), meta: { versionId: '1', lastUpdated: new Date().toISOString() }, ...rest });
}
