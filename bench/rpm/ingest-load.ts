import autocannon from 'autocannon';
import { readCpuMs } from '../lib/proc-status.js';

/** One request of an ingest load: where, with which headers, which body (built per request). */
export interface IngestRequest {
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface IngestRun {
  readonly seconds: number;
  /** Requests answered 2xx, and the readings they acknowledged (ids found in the answers). */
  readonly ok: number;
  readonly acknowledged: number;
  /** Readings in every request built, answered or not (a request cut off at the end may still be stored). */
  readonly sent: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly statusCodes: Readonly<Record<string, number>>;
  /** Acknowledged readings per second over the run. */
  readonly readingsPerS: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly serverCores: number;
  readonly databaseCores: number | undefined;
}

export interface CpuProbe {
  readonly serverPid: number;
  /** CPU ms so far of the database backends serving the server, by pid (PostgreSQL only). */
  readonly databaseCpu?: () => Promise<ReadonlyMap<number, number>>;
}

/**
 * One autocannon run, pipelining 1, every request built afresh by `next` (readingsPerRequest
 * readings each). The observation ids in 2xx answers are added to `acked`, so the store can be
 * checked afterwards for every acknowledged reading.
 */
export async function runIngest(
  origin: string,
  connections: number,
  durationS: number,
  readingsPerRequest: number,
  next: () => IngestRequest,
  idPattern: RegExp,
  acked: Set<string>,
  cpu: CpuProbe,
): Promise<IngestRun> {
  let sent = 0;
  let acknowledged = 0;
  const serverBefore = readCpuMs(cpu.serverPid);
  const dbBefore = await cpu.databaseCpu?.();
  const t = performance.now();
  const result = await autocannon({
    url: origin,
    connections,
    duration: durationS,
    pipelining: 1,
    timeout: 30,
    requests: [
      {
        setupRequest: (request) => {
          const r = next();
          sent += readingsPerRequest;
          return { ...request, method: 'POST', path: r.path, headers: { ...request.headers, ...r.headers }, body: r.body };
        },
        onResponse: (status, body) => {
          if (status < 200 || status >= 300) return;
          for (const m of body.matchAll(idPattern)) {
            if (m[1] && !acked.has(m[1])) {
              acked.add(m[1]);
              acknowledged++;
            }
          }
        },
      },
    ],
  });
  const wallMs = performance.now() - t;
  const serverCores = (readCpuMs(cpu.serverPid) - serverBefore) / wallMs;
  const dbAfter = await cpu.databaseCpu?.();
  let databaseCores: number | undefined;
  if (dbBefore && dbAfter) {
    let ms = 0;
    for (const [pid, v] of dbAfter) ms += v - (dbBefore.get(pid) ?? 0);
    databaseCores = ms / wallMs;
  }
  const statusCodes: Record<string, number> = {};
  for (const [code, s] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = s.count ?? 0;
  const seconds = result.duration > 0 ? result.duration : durationS;
  return {
    seconds,
    ok: result['2xx'],
    acknowledged,
    sent,
    non2xx: result.non2xx,
    errors: result.errors,
    statusCodes,
    readingsPerS: acknowledged / seconds,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    serverCores,
    databaseCores,
  };
}
