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
 * Sends a workload's requests in turn, from `connections` clients, for a bounded time, and reads
 * autocannon's latency percentiles. A 200 whose body has `errors` counts as an error: a write
 * refused by the hub is not a success.
 */
export async function loadGraphQL(
  url: string,
  calls: readonly GraphQLCall[],
  { connections, seconds, amount, rate }: LoadOptions,
): Promise<LoadResult> {
  let next = 0;
  let graphqlErrors = 0;
  const result = await autocannon({
    url,
    connections,
    ...(amount ? { amount } : { duration: seconds }),
    // autocannon would add, for each answer, a sample per millisecond it took (its correction for
    // coordinated omission assumes 1 ms between requests): a 1 s answer would weigh a thousand.
    ...(rate ? { overallRate: rate, ignoreCoordinatedOmission: true } : {}),
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
  return {
    // A bounded amount ends within a second: its per-second average would count that second whole.
    requestsPerSecond: amount ? result.requests.total / result.duration : result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.non2xx + graphqlErrors,
    requests: result.requests.total,
    sent: result.requests.sent,
  };
}
