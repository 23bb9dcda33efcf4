import type { ApolloServerPlugin } from "@apollo/server";
import responseCachePlugin from "@apollo/server-plugin-response-cache";
import { isAnonymous } from "./anonymous.js";

/**
 * Apollo's response cache at the gateway. How long a response may be kept comes from the
 * subgraphs' own cache hints (`@cacheControl`, sent as `Cache-Control`): the shortest of the
 * subgraph responses it was built from, nothing when one is not cacheable. Never for a request
 * carrying an identity, never for a mutation.
 */
export function responseCache(): ApolloServerPlugin {
  return responseCachePlugin({
    shouldReadFromCache: async (requestContext) => isAnonymous(requestContext),
    shouldWriteToCache: async (requestContext) => isAnonymous(requestContext),
  }) as ApolloServerPlugin;
}
