import type { GraphQLRequestContext } from "@apollo/server";

/**
 * Whether a request is anonymous: no credential of any kind. Only anonymous queries are cached
 * or shared between clients; anything carrying an identity is answered for itself alone.
 */
export function isAnonymous(requestContext: GraphQLRequestContext<object>): boolean {
  const headers = requestContext.request.http?.headers;
  return !headers?.get("authorization") && !headers?.get("cookie");
}
