import { AsyncLocalStorage } from "node:async_hooks";
import type {
  GraphQLDataSource,
  GraphQLDataSourceProcessOptions,
  RemoteGraphQLDataSource,
} from "@apollo/gateway";
import { GraphQLError, Kind, OperationTypeNode } from "graphql";
import { type BreakerState, CircuitBreaker } from "./breaker.js";
import { failedFetch } from "./field-errors.js";
import { retryConnectionFailures } from "./retry.js";
import type { ResilienceSettings } from "./settings.js";

type Fetcher = RemoteGraphQLDataSource["fetcher"];
type Answer = Awaited<ReturnType<GraphQLDataSource["process"]>>;

/** What the fetch of one call needs from the call around it: its deadline, and whether it may retry. */
interface Call {
  signal: AbortSignal;
  retry: boolean;
}

export interface SubgraphGuardOptions {
  settings: ResilienceSettings;
  /** Whether a subgraph is one of the hub's own (`SUBGRAPH_TIMEOUT_MS`) or a partner's (`PARTNER_TIMEOUT_MS`). */
  isBuiltIn: (name: string) => boolean;
  /** Told once per change of a breaker's state. */
  onBreakerChange?: (subgraph: string, state: BreakerState) => void;
}

/**
 * What bounds the calls to subgraphs, per gateway process: each call has a deadline (the
 * connection is closed past it), a query whose connection failed before any answer is retried
 * within that deadline, and each subgraph has a circuit breaker. A call that fails, whatever the
 * cause, answers an error at the path of each field it leaves null; the rest of the answer stands.
 */
export class SubgraphGuard {
  private readonly breakers = new Map<string, CircuitBreaker>();
  /** Deadlines set in the registry, per subgraph. */
  private timeouts = new Map<string, number>();
  private readonly calls = new AsyncLocalStorage<Call>();

  constructor(private readonly options: SubgraphGuardOptions) {}

  /** The deadlines the registry sets (replacing the previous ones); others get the defaults. */
  setTimeouts(timeouts: ReadonlyMap<string, number>): void {
    this.timeouts = new Map(timeouts);
  }

  /** The longest deadline a partner may set for its own subgraph. */
  get partnerTimeoutMs(): number {
    return this.options.settings.partnerTimeoutMs;
  }

  timeoutOf(subgraph: string): number {
    const { hubTimeoutMs, partnerTimeoutMs } = this.options.settings;
    return (
      this.timeouts.get(subgraph) ??
      (this.options.isBuiltIn(subgraph) ? hubTimeoutMs : partnerTimeoutMs)
    );
  }

  breakerState(subgraph: string): BreakerState {
    return this.breakers.get(subgraph)?.state ?? "CLOSED";
  }

  /** Every breaker's state, for the metrics. */
  states(): [string, BreakerState][] {
    return [...this.breakers].map(([name, breaker]) => [name, breaker.state]);
  }

  /** Runs one call of the gateway to a subgraph (`process`), within its deadline and breaker. */
  async run(
    subgraph: string,
    options: GraphQLDataSourceProcessOptions,
    call: () => Promise<Answer>,
  ): Promise<Answer> {
    // Health checks and schema loads are the gateway's own: only clients' operations are guarded.
    if (!("incomingRequestContext" in options)) return call();
    const breaker = this.breaker(subgraph);
    const fail = (code: string, message: string) =>
      failedFetch(options.request, options.document, { code, message });
    if (!breaker.allow())
      return fail(
        "SUBGRAPH_CIRCUIT_OPEN",
        `Le service « ${subgraph} » est suspendu après des échecs répétés ; le reste de la réponse reste valable.`,
      );
    const timeoutMs = this.timeoutOf(subgraph);
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const answer = await this.calls.run({ signal, retry: !isMutation(options) }, call);
      breaker.succeeded();
      return answer;
    } catch (error) {
      if (signal.aborted) {
        breaker.failed();
        return fail(
          "SUBGRAPH_TIMEOUT",
          `Le service « ${subgraph} » n'a pas répondu en ${timeoutMs} ms ; le reste de la réponse reste valable.`,
        );
      }
      if (!(error instanceof GraphQLError) || typeof error.extensions.code !== "string")
        throw error;
      // An answer the subgraph gave (a 4xx with its errors) says it is up.
      if (error.extensions.code === "SUBGRAPH_UNAVAILABLE") breaker.failed();
      else breaker.succeeded();
      return fail(error.extensions.code, error.message);
    }
  }

  /** The fetch a subgraph's data source uses: `base` given the call's deadline, and its retries. */
  fetcher(base: Fetcher): Fetcher {
    return (url, init) => {
      const call = this.calls.getStore();
      if (!call) return base(url, init);
      const { retries, retryDelayMs } = this.options.settings;
      return retryConnectionFailures(() => base(url, { ...init, signal: call.signal }), {
        retries: call.retry ? retries : 0,
        delayMs: retryDelayMs,
        signal: call.signal,
      });
    };
  }

  private breaker(subgraph: string): CircuitBreaker {
    let breaker = this.breakers.get(subgraph);
    if (!breaker) {
      breaker = new CircuitBreaker({
        failures: this.options.settings.breakerFailures,
        cooldownMs: this.options.settings.breakerCooldownMs,
        onChange: (state) => this.options.onBreakerChange?.(subgraph, state),
      });
      this.breakers.set(subgraph, breaker);
    }
    return breaker;
  }
}

function isMutation(options: GraphQLDataSourceProcessOptions): boolean {
  if (!("incomingRequestContext" in options)) return false;
  const operation = options.document?.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (operation?.kind === Kind.OPERATION_DEFINITION)
    return operation.operation === OperationTypeNode.MUTATION;
  // Without the parsed document, the query text says it: a mutation starts with its keyword.
  return /^\s*mutation\b/.test(options.request.query ?? "");
}
