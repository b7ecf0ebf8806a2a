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
