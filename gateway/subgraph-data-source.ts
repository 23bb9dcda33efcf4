import { type GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from "@apollo/gateway";
import { GraphQLError } from "graphql";
import { ANONYMOUS, IDENTITY_HEADER, type Identity, signIdentity } from "../lib/identity.js";
import { injectTraceContext } from "../lib/tracing.js";
import type { GatewayMetrics } from "./observability/metrics.js";
import type { FetchLayer, SubgraphFetch } from "./performance/subgraph-fetch.js";
import type { PartnerFetch } from "./registry/partner-fetch.js";

/**
 * How the gateway calls a subgraph. Each call to one of the hub's own subgraphs carries the
 * caller's identity, signed, and only that: no header of the client's is forwarded. A partner's
 * subgraph gets no identity (`secret` null): it could replay it to the hub's subgraphs; and it is
 * called through `fetcher`, which checks its addresses on every connection. Each call is timed; when the subgraph cannot be
 * reached, the error names the subgraph and no internal address: only the fields it serves are lost.
 * `layer` comes around each call (deduplication, a cache): what it answers itself is not a call.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<{ identity?: Identity }> {
  private readonly fetch: SubgraphFetch;

  constructor(
    private readonly name: string,
    url: string,
    private readonly metrics: GatewayMetrics,
    private readonly secret: Uint8Array | null,
    fetcher?: PartnerFetch,
    layer: FetchLayer = (_service, next) => next,
  ) {
    super({ url, ...(fetcher ? { fetcher } : {}) });
    this.fetch = layer(name, (options) =>
      this.metrics.timeSubgraph(this.name, () => super.process(options)),
    );
  }

  override async willSendRequest({
    request,
    context,
  }: GraphQLDataSourceProcessOptions<{ identity?: Identity }>) {
    if (this.secret)
      request.http?.headers.set(
        IDENTITY_HEADER,
        await signIdentity(context.identity ?? ANONYMOUS, this.secret),
      );
    if (request.http) injectTraceContext(request.http.headers);
  }

  override process(options: GraphQLDataSourceProcessOptions<{ identity?: Identity }>) {
    return this.fetch(options);
  }

  override didEncounterError(error: Error): void {
    if (error instanceof GraphQLError && error.extensions.code !== undefined) throw error;
    // A subgraph that answered 4xx with GraphQL errors (a variable it could not coerce) is up:
    // its first error goes to the client as it raised it.
    const answered =
      error instanceof GraphQLError ? subgraphErrorIn(error.extensions.response) : undefined;
    if (answered)
      throw new GraphQLError(answered.message, {
        extensions: { ...answered.extensions, serviceName: this.name },
      });
    throw new GraphQLError(
      `Le service « ${this.name} » ne répond pas ; le reste de la réponse reste valable.`,
      {
        extensions: { code: "SUBGRAPH_UNAVAILABLE", serviceName: this.name },
      },
    );
  }
}

/** The first GraphQL error, with a code, in the body of a subgraph's non-2xx answer. */
function subgraphErrorIn(
  response: unknown,
): { message: string; extensions: Record<string, unknown> } | undefined {
  const body = (
    response as
      | { body?: { errors?: { message?: unknown; extensions?: { code?: unknown } }[] } }
      | undefined
  )?.body;
  const first = body?.errors?.[0];
  if (typeof first?.message !== "string" || typeof first.extensions?.code !== "string")
    return undefined;
  return { message: first.message, extensions: { code: first.extensions.code } };
}
