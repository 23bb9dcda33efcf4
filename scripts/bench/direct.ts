import type { GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import type { GraphQLCall, LoadOptions, LoadResult } from "./load.js";

/** One call a gateway makes to a subgraph while answering a request. */
export interface SubgraphCall {
  subgraph: string;
  body: string;
  headers?: Record<string, string>;
}

/**
 * The subgraph calls of each request's plan, as `@apollo/gateway` makes them: the operation is
 * run once through a gateway in this process whose data sources write down what they send. Only
 * for reads: replaying them is the same work for the subgraphs as the real plan.
 */
export async function recordPlans(
  supergraphSdl: string,
  subgraphUrls: Record<string, string>,
  calls: readonly GraphQLCall[],
  serviceToken: string,
): Promise<SubgraphCall[][]> {
  process.env.APOLLO_TELEMETRY_DISABLED = "true";
  const { ApolloGateway, RemoteGraphQLDataSource } = await import("@apollo/gateway");
  const { ApolloServer } = await import("@apollo/server");
  let recording: SubgraphCall[] = [];
  class RecordingDataSource extends RemoteGraphQLDataSource {
    constructor(private readonly subgraph: string) {
      super({ url: subgraphUrls[subgraph]! });
    }
    override willSendRequest({ request }: GraphQLDataSourceProcessOptions) {
      // The subgraphs answer only the hub's gateways and its service tokens.
      request.http?.headers.set("authorization", `Bearer ${serviceToken}`);
      recording.push({
        subgraph: this.subgraph,
        body: JSON.stringify({ query: request.query, variables: request.variables }),
      });
    }
  }
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name }) => new RecordingDataSource(name),
  });
  const server = new ApolloServer({ gateway, stopOnTerminationSignals: false });
  await server.start();
  try {
    const plans: SubgraphCall[][] = [];
    for (const call of calls) {
      recording = [];
      const response = await server.executeOperation({
        query: call.query,
        variables: call.variables ?? {},
      });
      if (response.body.kind !== "single" || response.body.singleResult.errors)
        throw new Error(`recording failed: ${JSON.stringify(response.body)}`);
      plans.push(recording);
    }
    return plans;
  } finally {
    await server.stop();
  }
}

/**
 * The upper bound: each request's subgraph calls sent straight to the subgraphs, one after the
 * other (the sum of the plan's calls), from `connections` clients for a bounded time.
 */
export async function loadDirect(
  subgraphUrls: Record<string, string>,
  plans: readonly (readonly SubgraphCall[])[],
  serviceToken: string,
  { connections, seconds, amount = Infinity }: LoadOptions,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const deadline = performance.now() + seconds * 1000;
  const client = async () => {
    while (performance.now() < deadline && next < amount) {
      const plan = plans[next++ % plans.length]!;
      const started = performance.now();
      let failed = false;
      for (const call of plan) {
        const response = await fetch(subgraphUrls[call.subgraph]!, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            authorization: `Bearer ${serviceToken}`,
            ...call.headers,
          },
          body: call.body,
        }).catch(() => undefined);
        const text = response ? await response.text() : "";
        if (!response?.ok || text.includes('"errors"')) failed = true;
      }
      latencies.push(performance.now() - started);
      if (failed) errors += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, client));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const percentile = (p: number) =>
    Math.round(
      latencies[Math.min(latencies.length - 1, Math.floor((latencies.length * p) / 100))] ?? 0,
    );
  return {
    requestsPerSecond: latencies.length / elapsed,
    p50Ms: percentile(50),
    p99Ms: percentile(99),
    errors,
    requests: latencies.length,
    sent: latencies.length,
  };
}
