import type { FastifyBaseLogger } from 'fastify';
import type { AuditLog } from './audit/audit-log.js';
import type { CarelineConfig } from './config/config.js';
import type { Database } from './db/database.js';
import type { Jobs } from './jobs/jobs.js';
import type { Metrics } from './metrics/metrics.js';
import type { RealtimeBus } from './realtime/bus.js';

/**
 * What every capability plugin receives: the platform services, passed explicitly as plugin
 * options rather than hung on the Fastify instance as hidden globals.
 */
export interface Platform {
  readonly config: CarelineConfig;
  readonly db: Database;
  readonly bus: RealtimeBus;
  readonly jobs: Jobs;
  readonly metrics: Metrics;
  /** The tamper-evident audit trail (security events; FhirStore records data access through it). */
  readonly audit: AuditLog;
  readonly log: FastifyBaseLogger;
  readonly version: string;
}

export interface CapabilityOptions {
  readonly platform: Platform;
}
