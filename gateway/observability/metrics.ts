import type { ApolloServerPlugin } from "@apollo/server";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { StatementCounter } from "../../lib/database.js";
import type { BreakerState } from "../resilience/breaker.js";

/** Operation names come from clients: a bounded set of labels keeps the metrics usable. */
const MAX_OPERATION_NAMES = 200;
const LATENCY_BUCKETS = [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5];

/** The gateway's Prometheus metrics, served at `/metrics`. */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly operationNames = new Set<string>();

  readonly requests = new Counter({
    name: "hub_graphql_requests_total",
    help: "GraphQL requests answered by the gateway, by operation and outcome.",
    labelNames: ["operation", "outcome"] as const,
    registers: [this.registry],
  });
  readonly requestDuration = new Histogram({
    name: "hub_graphql_request_duration_seconds",
    help: "Time to answer a GraphQL request, by operation.",
    labelNames: ["operation"] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: "hub_graphql_errors_total",
    help: "Errors in answers, by extensions.code.",
    labelNames: ["code"] as const,
    registers: [this.registry],
  });
  readonly cache = new Counter({
    name: "hub_cache_lookups_total",
    help: "Lookups in the gateway's cache (response: whole answers; fetch: subgraph fetches), hit or miss: the hit rate.",
    labelNames: ["cache", "result"] as const,
    registers: [this.registry],
  });
  readonly deduplicated = new Counter({
    name: "hub_deduplicated_total",
    help: "Requests (level request) and subgraph fetches (level fetch) answered by joining an identical one already under way.",
    labelNames: ["level"] as const,
    registers: [this.registry],
  });
  readonly subgraphDuration = new Histogram({
    name: "hub_subgraph_fetch_duration_seconds",
    help: "Time of each call from the gateway to a subgraph.",
    labelNames: ["subgraph", "outcome"] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly breakers = new Gauge({
    name: "hub_subgraph_circuit_state",
    help: "State of each subgraph's circuit breaker in this process: 1 for the current state, 0 for the others.",
    labelNames: ["subgraph", "state"] as const,
    registers: [this.registry],
  });

  /**
   * SQL statements this process sent (its subgraphs' and the gateway's own), read from the
   * database's counter at each scrape: the benchmark divides them by requests to prove batching.
   */
  constructor(statements?: StatementCounter) {
    collectDefaultMetrics({ register: this.registry, prefix: "hub_" });
    if (!statements) return;
    let reported = 0;
    new Counter({
      name: "hub_database_statements_total",
      help: "SQL statements sent to the database by this process.",
      registers: [this.registry],
      collect() {
        this.inc(statements.count - reported);
        reported = statements.count;
      },
    });
  }

  /** The operation's name as a label: anonymous, or `other` past the first 200 names seen. */
  operationLabel(name: string | null | undefined): string {
    if (!name) return "anonymous";
    if (this.operationNames.has(name)) return name;
    if (this.operationNames.size >= MAX_OPERATION_NAMES || !/^\w{1,64}$/.test(name)) return "other";
    this.operationNames.add(name);
    return name;
  }

  breakerState(subgraph: string, current: BreakerState): void {
    for (const state of ["CLOSED", "OPEN", "HALF_OPEN"] as const)
      this.breakers.set({ subgraph, state }, state === current ? 1 : 0);
  }

  /** Times a call to a subgraph. */
  async timeSubgraph<T>(subgraph: string, call: () => Promise<T>): Promise<T> {
    const stop = this.subgraphDuration.startTimer({ subgraph });
    try {
      const result = await call();
      stop({ outcome: "success" });
      return result;
    } catch (error) {
      stop({ outcome: "error" });
      throw error;
    }
  }

  plugin(): ApolloServerPlugin {
    return {
      requestDidStart: async () => {
        const started = process.hrtime.bigint();
        return {
          willSendResponse: async ({ operationName, response }) => {
            const operation = this.operationLabel(operationName);
            const errors =
              response.body.kind === "single" ? (response.body.singleResult.errors ?? []) : [];
            this.requestDuration.observe(
              { operation },
              Number(process.hrtime.bigint() - started) / 1e9,
            );
            this.requests.inc({ operation, outcome: errors.length ? "error" : "success" });
            for (const error of errors)
              this.errors.inc({ code: String(error.extensions?.code ?? "UNKNOWN") });
          },
        };
      },
    };
  }
}
