import type { Database } from '../../platform/db/database.js';
import { KINDS, type KindName } from '../ingest/vital-kinds.js';
import { EnrollmentRepository } from '../storage/enrollment-repository.js';
import { ReadingRepository } from '../storage/reading-repository.js';
import type { TSeries } from './patient-readings.types.js';

/** A patient's values of one measure over the last `days`, oldest first, with their absolute limits. */
export async function readingsSeries(db: Database, patient: string, measure: KindName, days: number, now = new Date()): Promise<TSeries> {
  const kind = KINDS[measure];
  const since = new Date(now.getTime() - days * 86_400_000);
  const values = await new ReadingRepository(db).series(patient, [kind.code], since);
  const rules = (await new EnrollmentRepository(db).activeFor(patient)).flatMap((e) => e.rules);
  const thresholds = rules.flatMap((r) => (r.kind === 'absolute' && r.measure === kind.code ? [{ rule: r.id, comparator: r.comparator, value: r.value, severity: r.severity }] : []));
  return {
    patient, measure, code: kind.code, unit: kind.unit, thresholds,
    points: values.reverse().map((v) => ({ at: v.at.toISOString(), value: v.value, origin: v.origin })),
  };
}
