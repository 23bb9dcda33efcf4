import autocannon from "autocannon";

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Transport errors, non-2xx answers and answers carrying GraphQL errors. */
  errors: number;
  /** Requests answered within the time. */
  requests: number;
  /** Requests sent, including those still under way when the time was up. */
  sent: number;
}

/** One GraphQL request of a workload: its body and the headers it carries (credentials). */
export interface GraphQLCall {
  query: string;
  variables?: Record<string, unknown>;
  headers?: Record<string, string>;
}

export interface LoadOptions {
  connections: number;
  seconds: number;
  /** Stop after this many requests instead (warm-ups). */
  amount?: number;
  /**
   * Requests per second from all connections together (at most one connection per request a
   * second), each connection sending on its own schedule whatever the answers take; by default each
   * connection sends its next request as soon as the last is answered.
   */
  rate?: number;
}

/**
 * One run of autocannon, its latencies not yet summed up into percentiles, so that the runs of
 * several slices of time can be pooled (`summarize`).
 */
export interface LoadRun {
  result: autocannon.UnaggregatedResult;
  /** Answers of HTTP 200 whose body has `errors`. */
  graphqlErrors: number;
}

/**
 * Sends a workload's requests in turn, from `connections` clients, for a bounded time, and reads
 * autocannon's latency percentiles. A 200 whose body has `errors` counts as an error: a write
 * refused by the hub is not a success.
 */
export async function loadGraphQL(
  url: string,
  calls: readonly GraphQLCall[],
  options: LoadOptions,
): Promise<LoadResult> {
  return summarize(url, [await runGraphQL(url, calls, options)]);
}

/** `loadGraphQL`'s run, left for `summarize` to pool with others. */
export async function runGraphQL(
  url: string,
  calls: readonly GraphQLCall[],
  { connections, seconds, amount, rate }: LoadOptions,
): Promise<LoadRun> {
  let next = 0;
  let graphqlErrors = 0;
  const result = await autocannon({
    url,
    connections,
    ...(amount ? { amount } : { duration: seconds }),
    // autocannon would add, for each answer, a sample per millisecond it took (its correction for
    // coordinated omission assumes 1 ms between requests): a 1 s answer would weigh a thousand.
    ...(rate ? { overallRate: rate, ignoreCoordinatedOmission: true } : {}),
    skipAggregateResult: true,
    requests: [
      {
        method: "POST",
        setupRequest: (request) => {
          const call = calls[next++ % calls.length]!;
          return {
            ...request,
            headers: { "content-type": "application/json", ...call.headers },
            body: JSON.stringify({ query: call.query, variables: call.variables }),
          };
        },
        onResponse: (status, body) => {
          if (status === 200 && body.includes('"errors"')) graphqlErrors += 1;
        },
      },
    ],
  });
  // With `skipAggregateResult`, autocannon answers its run's histograms, encoded.
  return { result: result as unknown as autocannon.UnaggregatedResult, graphqlErrors };
}

/** The figures of one or more runs against `url`, their latencies pooled. */
export function summarize(url: string, runs: readonly LoadRun[]): LoadResult {
  const result = autocannon.aggregateResult(
    runs.map((run) => run.result),
    { url },
  );
  const seconds = runs.reduce((sum, run) => sum + run.result.duration, 0);
  return {
    requestsPerSecond: result.requests.total / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.non2xx + runs.reduce((sum, run) => sum + run.graphqlErrors, 0),
    requests: result.requests.total,
    sent: result.requests.sent,
  };
}
