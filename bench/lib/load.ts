import autocannon from 'autocannon';

export interface LoadOptions {
  readonly connections: number;
  readonly durationS: number;
}

export interface LoadResult {
  /** Median of autocannon's one-second request-rate samples. */
  readonly reqPerSecMedian: number;
  /** Completed requests over the whole run divided by its duration. */
  readonly reqPerSecMean: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly requests: number;
  readonly errors: number;
  readonly non2xx: number;
}

/** One autocannon run (programmatic API, no progress bar) against a single GET URL. */
export async function runLoad(url: string, options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.durationS,
    pipelining: 1,
  });
  return toLoadResult(result);
}

/** One request of a generated load: path (with query) relative to the origin, optional body. */
export interface GeneratedRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Like runLoad, but every request is built by `next()` as it is sent, so bodies and URLs can vary
 * (random subjects, random ids) instead of repeating one request that a cache could answer.
 */
export async function runGeneratedLoad(origin: string, options: LoadOptions, next: () => GeneratedRequest): Promise<LoadResult> {
  const result = await autocannon({
    url: origin,
    connections: options.connections,
    duration: options.durationS,
    pipelining: 1,
    requests: [
      {
        setupRequest: (request) => {
          const r = next();
          return { ...request, method: r.method, path: r.path, headers: { ...request.headers, ...r.headers }, ...(r.body === undefined ? {} : { body: r.body }) };
        },
      },
    ],
  });
  return toLoadResult(result);
}

function toLoadResult(result: autocannon.Result): LoadResult {
  return {
    reqPerSecMedian: result.requests.p50,
    reqPerSecMean: result.requests.average,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}
