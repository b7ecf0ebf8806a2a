import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Database } from '../db/database.js';

/**
 * Prometheus metrics of one app instance. A registry per app (not prom-client's global one) so that
 * several apps in one test process do not collide.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'careline_http_request_duration_seconds',
    help: 'HTTP request latency by route pattern, method and status',
    labelNames: ['route', 'method', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly httpRequests = new Counter({
    name: 'careline_http_requests_total',
    help: 'HTTP responses by route pattern, method and status',
    labelNames: ['route', 'method', 'status_code'] as const,
    registers: [this.registry],
  });
  readonly dbQueryDuration = new Histogram({
    name: 'careline_db_query_duration_seconds',
    help: 'Database statement latency (outside transactions)',
    labelNames: ['outcome'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
    registers: [this.registry],
  });
  readonly wsConnections = new Gauge({
    name: 'careline_websocket_connections',
    help: 'Open WebSocket connections on this instance',
    registers: [this.registry],
  });
  private queueDepthSource: (() => Promise<Record<string, number>>) | undefined;

  constructor(db: Database) {
    collectDefaultMetrics({ register: this.registry, prefix: 'careline_' });
    db.observeQueries((seconds, ok) => this.dbQueryDuration.observe({ outcome: ok ? 'ok' : 'error' }, seconds));
    new Gauge({
      name: 'careline_db_pool_connections',
      help: 'Database connections by state (PGlite: one serialized connection)',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const s = db.poolStats();
        this.set({ state: 'total' }, s.total);
        this.set({ state: 'idle' }, s.idle);
        this.set({ state: 'waiting' }, s.waiting);
      },
    });
    const queueDepth = (): Promise<Record<string, number>> => (this.queueDepthSource ? this.queueDepthSource() : Promise.resolve({}));
    new Gauge({
      name: 'careline_job_queue_depth',
      help: 'Jobs waiting per queue',
      labelNames: ['queue'] as const,
      registers: [this.registry],
      async collect() {
        try {
          for (const [queue, depth] of Object.entries(await queueDepth())) this.set({ queue }, depth);
        } catch {
          // database unavailable: leave the last values; /readyz reports the outage
        }
      },
    });
  }

  setQueueDepthSource(source: () => Promise<Record<string, number>>): void {
    this.queueDepthSource = source;
  }
}
