import { Directive } from "type-graphql";

/**
 * Cache hints (Apollo's `@cacheControl`). A subgraph's response is cacheable for the shortest
 * hint among the fields it resolved; a field returning an object without a hint is not cacheable,
 * so every public object type or root query states how long its data stays true.
 */
export function CacheFor(seconds: number) {
  return Directive(`@cacheControl(maxAge: ${seconds})`);
}

/** For wrappers (connections, edges, page info, stats): as fresh as the field that returned them. */
export function CacheLikeParent() {
  return Directive("@cacheControl(inheritMaxAge: true)");
}

/** How long each kind of data stays true, in seconds. */
export const CACHE_SECONDS = {
  /** Reference data that changes once a year (territories). */
  reference: 86_400,
  /** Directory listings, edited by hand. */
  listing: 600,
  /** Catalogues and statistics that move during the day. */
  catalogue: 60,
  /** A repairer's next free slot shown on a page: booking it checks the slot again (SLOT_FULL). */
  glance: 30,
} as const;
