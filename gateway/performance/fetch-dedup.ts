import type { GatewayGraphQLResponse } from "@apollo/server-gateway-interface";
import {
  type FetchLayer,
  fetchKey,
  identityOf,
  isQueryFetch,
  restrictCachePolicy,
} from "./subgraph-fetch.js";

/**
 * In-flight deduplication of subgraph fetches: a fetch identical to one under way (same
 * subgraph, operation, variables, and the same identity it is sent for) waits for that one's
 * answer instead of calling the subgraph again. Different pages of a burst that need the same
 * entities cost each subgraph one call. Queries only: a mutation is always sent.
 */
export function fetchDeduplication(
  onJoin: () => void = () => {},
): FetchLayer & { inFlight(): number } {
  const inFlight = new Map<string, Promise<GatewayGraphQLResponse>>();
  const layer: FetchLayer = (service, next) => async (options) => {
    if (!isQueryFetch(options)) return next(options);
    const key = fetchKey(service, options, identityOf(options));
    const leader = inFlight.get(key);
    if (leader) {
      onJoin();
      // Copied as soon as it settles, before the leader's plan merges into its own copy.
      const response = await leader.then(copyOf);
      restrictCachePolicy(options, response.http?.headers.get("cache-control"));
      return response;
    }
    const fetched = next(options);
    inFlight.set(key, fetched);
    try {
      return await fetched;
    } finally {
      inFlight.delete(key);
    }
  };
  return Object.assign(layer, { inFlight: () => inFlight.size });
}

function copyOf({ http, ...body }: GatewayGraphQLResponse): GatewayGraphQLResponse {
  return { ...structuredClone(body), ...(http ? { http } : {}) };
}
