import type { Queryable } from '../../platform/db/database.js';
import type { SearchScope } from '../access/access-policy.js';
import type { FoundRow } from './search-repository.js';
import { scopeSql } from './search-sql.js';
import { SqlBuilder } from './sql-builder.js';

/** Resources in one Patient compartment (https://hl7.org/fhir/R4/compartmentdefinition-patient.html). */
export class CompartmentRepository {
  constructor(private readonly q: Queryable) {}

  async inPatientCompartment(
    patientRef: string,
    options: { start?: string; end?: string; since?: string; afterKey?: readonly [string, string]; limit: number },
    scopeOf: (resourceType: string) => SearchScope,
  ): Promise<FoundRow[]> {
    const b = new SqlBuilder();
    const where = ['NOT r.deleted', `r.compartments @> ARRAY[${b.bind(patientRef, 'text')}]`];
    const scope = scopeOf('*');
    if (scope.kind === 'none') return [];
    where.push(scopeSql(b, 'r', scope));
    if (options.since) where.push(`r.last_updated >= ${b.bind(options.since, 'timestamptz')}`);
    if (options.start || options.end) {
      // Care dates: a resource with no date at all is kept (the spec leaves undated data in).
      const lo = b.bind(options.start ?? '0001-01-01T00:00:00Z', 'timestamptz');
      const hi = b.bind(options.end ?? '9999-12-31T23:59:59Z', 'timestamptz');
      where.push(`(NOT EXISTS (SELECT 1 FROM fhir_search s WHERE s.resource_type = r.resource_type AND s.resource_id = r.id AND s.low IS NOT NULL)
        OR EXISTS (SELECT 1 FROM fhir_search s WHERE s.resource_type = r.resource_type AND s.resource_id = r.id AND s.low <= ${hi} AND s.high >= ${lo}))`);
    }
    if (options.afterKey) {
      where.push(`(r.resource_type COLLATE "C", r.id COLLATE "C") > (${b.bind(options.afterKey[0], 'text')} COLLATE "C", ${b.bind(options.afterKey[1], 'text')} COLLATE "C")`);
    }
    const { rows } = await this.q.query<{ resource_type: string; id: string; version_id: number; last_updated: Date; content: string; compartments: string[] }>(
      `SELECT r.resource_type, r.id, r.version_id, r.last_updated, r.content, r.compartments FROM fhir_resource r
       WHERE ${where.join(' AND ')} ORDER BY r.resource_type COLLATE "C", r.id COLLATE "C" LIMIT ${b.bind(options.limit + 1, 'bigint')}`,
      b.values,
    );
    return rows.map((r) => ({
      resourceType: r.resource_type, id: r.id, versionId: r.version_id, lastUpdated: r.last_updated, content: r.content, compartments: r.compartments, sortValues: [r.resource_type, r.id],
    }));
  }
}
