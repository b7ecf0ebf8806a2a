import type { Platform } from '../../platform/platform.js';

/**
 * Keeps the planner's statistics of the FHIR tables fresh. PGlite has no autovacuum at all, and a
 * PostgreSQL server may run with it off or late; with no statistics the planner estimates one row
 * and a search over 100k Observations takes seconds instead of milliseconds (docs/BENCHMARKS.md).
 * ANALYZE samples a bounded number of rows, so its cost does not grow with the tables.
 */
export const ANALYZE_FHIR_JOB = 'fhir-analyze';

export function defineStatisticsJob(platform: Platform): void {
  platform.jobs.define({
    name: ANALYZE_FHIR_JOB,
    cron: '*/15 * * * *',
    handler: async () => {
      await platform.db.exec('ANALYZE fhir_resource; ANALYZE fhir_search; ANALYZE fhir_resource_history');
    },
  });
}
