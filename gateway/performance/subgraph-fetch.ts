import { createHash } from "node:crypto";
import type { GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import type { GatewayGraphQLResponse, GatewayHTTPResponse } from "@apollo/server-gateway-interface";
import { ANONYMOUS, type Identity } from "../../lib/identity.js";

export type FetchOptions = GraphQLDataSourceProcessOptions<{ identity?: Identity }>;

/** One call from the gateway to a subgraph, as `RemoteGraphQLDataSource.process` makes it. */
export type SubgraphFetch = (options: FetchOptions) => Promise<GatewayGraphQLResponse>;

/** Something around a subgraph's fetches (deduplication, a cache), for the subgraph `service`. */
export type FetchLayer = (service: string, next: SubgraphFetch) => SubgraphFetch;

/** Layers applied outermost first. */
export const composeLayers =
  (...layers: FetchLayer[]): FetchLayer =>
  (service, next) =>
    layers.reduceRight((inner, layer) => layer(service, inner), next);

/**
 * A fetch of a query a client sent, as opposed to a mutation (and the fetches of its plan), a
 * health check or the loading of a schema: only those may be merged or cached.
 */
export function isQueryFetch(options: FetchOptions): boolean {
  return (
    "incomingRequestContext" in options &&
    options.incomingRequestContext.operation?.operation === "query"
  );
}

export const identityOf = (options: FetchOptions): Identity =>
  options.context.identity ?? ANONYMOUS;

/** The fetch's subgraph, operation and variables, hashed; `identity` adds who it is sent for. */
export function fetchKey(service: string, options: FetchOptions, identity?: Identity): string {
  const { query, variables } = options.request;
  return createHash("sha256")
    .update(JSON.stringify([service, query, variables ?? {}, identity ?? null]))
    .digest("base64url");
}

/** `max-age` of a `Cache-Control` that lets anyone share the answer; 0 otherwise. */
export function publicMaxAge(cacheControl: string | null | undefined): number {
  if (
    !cacheControl ||
    !/\bpublic\b/.test(cacheControl) ||
    /\b(private|no-store)\b/.test(cacheControl)
  )
    return 0;
  return Number(/\bmax-age=(\d+)/.exec(cacheControl)?.[1] ?? 0);
}

/**
 * What `RemoteGraphQLDataSource` does with a subgraph's `Cache-Control` when it fetches itself,
 * for an answer it did not fetch: the request's cache policy may not outlive the answer's.
 */
export function restrictCachePolicy(
  options: FetchOptions,
  cacheControl: string | null | undefined,
) {
  if (!("incomingRequestContext" in options)) return;
  const maxAge = publicMaxAge(cacheControl);
  options.incomingRequestContext.overallCachePolicy?.restrict(
    maxAge ? { maxAge, scope: "PUBLIC" } : { maxAge: 0 },
  );
}

/** The `http` of an answer the subgraph did not send now: only its `Cache-Control` matters. */
export function answeredWith(cacheControl: string): GatewayHTTPResponse {
  // Node's Headers are a fetcher's headers; the project's TypeScript libs omit their iterators.
  return {
    headers: new Headers({
      "cache-control": cacheControl,
    }) as unknown as GatewayHTTPResponse["headers"],
  };
}
