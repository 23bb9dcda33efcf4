import type { SharedCache } from "./shared-cache.js";
import {
  answeredWith,
  type FetchLayer,
  fetchKey,
  identityOf,
  isQueryFetch,
  publicMaxAge,
  restrictCachePolicy,
} from "./subgraph-fetch.js";

/**
 * An entity-level cache of subgraph fetches: the answer of a query's fetch is kept for the
 * lifetime its subgraph's `Cache-Control` gives (public ones only), so that different pages share
 * what they have in common (a territory's name, the region's platforms) and a page seen for the
 * first time costs only what is new in it. For anonymous requests only: whatever a subgraph
 * answers for an identity stays that identity's. A hit restricts the request's cache policy to
 * what is left of the entry's lifetime, as the subgraph's own header would.
 */
export function fetchCache(cache: SharedCache): FetchLayer {
  return (service, next) => async (options) => {
    if (!isQueryFetch(options) || identityOf(options).role !== "anonymous") return next(options);
    const key = fetchKey(service, options);
    const hit = await cache.get("fetch", key);
    if (hit) {
      const cacheControl = `max-age=${hit.maxAge - hit.age}, public`;
      restrictCachePolicy(options, cacheControl);
      return {
        ...(JSON.parse(hit.value) as object),
        http: answeredWith(cacheControl),
      };
    }
    const response = await next(options);
    const maxAge = publicMaxAge(response.http?.headers.get("cache-control"));
    if (maxAge > 0 && !response.errors?.length)
      // Serialized now, before the plan merges the answer into the request's.
      void cache.set("fetch", key, JSON.stringify({ data: response.data }), maxAge);
    return response;
  };
}
