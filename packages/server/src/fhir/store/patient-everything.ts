import type { Queryable } from '../../platform/db/database.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import type { AccessContext } from '../access/access-policy.js';
import { dateRange } from '../search-index/date-range.js';
import { DEFAULT_COUNT, MAX_COUNT } from '../search/search-request.js';
import { CompartmentRepository } from '../storage/compartment-repository.js';
import type { FoundRow } from '../storage/search-repository.js';
import type { VersionedResource } from './resource-types.js';

function bad(name: string, message: string): CarelineError {
  return new CarelineError('bad-request', [{ diagnostics: `${name}: ${message}`, expression: [`query.${name}`] }]);
}

/**
 * Patient/$everything (https://hl7.org/fhir/R4/patient-operation-everything.html): the patient and
 * everything in their compartment that the caller may read, with start/end (care dates), _since
 * and _count, paged. readPatient: the store's checked read of the patient (FhirStore.everything
 * records the whole operation as one event); returned: told of every resource in the answer.
 */
export async function patientEverything(
  readPatient: () => Promise<VersionedResource>,
  q: Queryable,
  ctx: AccessContext,
  patientId: string,
  pairs: readonly (readonly [string, string])[],
  base: string,
  returned?: (rows: readonly FoundRow[]) => void,
): Promise<Record<string, unknown>> {
  const patient = await readPatient();
  let count = DEFAULT_COUNT * 5;
  const options: { start?: string; end?: string; since?: string; afterKey?: [string, string]; limit: number } = { limit: count };
  for (const [k, v] of pairs) {
    const range = k === 'start' || k === 'end' || k === '_since' ? dateRange(v) : undefined;
    if (k === 'start' || k === 'end' || k === '_since') {
      if (!range) throw bad(k, 'must be a FHIR date.');
      if (k === 'start') options.start = range.low;
      else if (k === 'end') options.end = range.high;
      else options.since = range.low;
    } else if (k === '_count') {
      if (!/^\d{1,9}$/.test(v)) throw bad(k, 'must be a whole number.');
      count = Math.max(1, Math.min(Number(v), MAX_COUNT));
    } else if (k === '_cursor') {
      const key = Buffer.from(v, 'base64url').toString('utf8').split('/');
      if (key.length !== 2 || !key[0] || !key[1]) throw bad(k, 'this paging link is damaged.');
      options.afterKey = [key[0], key[1]];
    } else if (k !== '_format' && k !== '_pretty') throw bad(k, 'is not a parameter of $everything.');
  }
  options.limit = count;
  const rows = await new CompartmentRepository(q).inPatientCompartment(`Patient/${patientId}`, options, (t) => ctx.policy.searchScope(t));
  const visible = rows.slice(0, count).filter((r) => ctx.policy.canRead({ resourceType: r.resourceType, id: r.id, compartments: r.compartments }));
  const self = `${base}/Patient/${patientId}/$everything`;
  const query = new URLSearchParams(pairs.filter(([k]) => k !== '_cursor') as [string, string][]).toString();
  const link = [{ relation: 'self', url: query ? `${self}?${query}` : self }];
  const last = rows.slice(0, count).at(-1);
  if (rows.length > count && last) {
    link.push({ relation: 'next', url: `${self}?${query ? `${query}&` : ''}_cursor=${Buffer.from(`${last.resourceType}/${last.id}`).toString('base64url')}` });
  }
  const entries = visible.filter((r) => !(r.resourceType === 'Patient' && r.id === patientId));
  returned?.(entries);
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    link,
    entry: [
      ...(options.afterKey ? [] : [{ fullUrl: `${base}/Patient/${patientId}`, resource: patient.resource, search: { mode: 'match' } }]),
      ...entries.map((r) => ({ fullUrl: `${base}/${r.resourceType}/${r.id}`, resource: JSON.parse(r.content) as unknown, search: { mode: 'match' } })),
    ],
  };
}
