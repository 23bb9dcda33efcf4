import type { GraphQLRequestContext } from "@apollo/server";

/** Headers of a request, as Express's `request.get` and Apollo's `HeaderMap` both read them. */
interface Headers {
  get(name: string): string | null | undefined;
}

/**
 * Whether a request is anonymous: no credential of any kind. Only anonymous queries are cached
 * or shared between clients; anything carrying an identity is answered for itself alone.
 */
export function hasNoCredential(headers: Headers | undefined): boolean {
  return !headers?.get("authorization") && !headers?.get("cookie");
}

export function isAnonymous(requestContext: GraphQLRequestContext<object>): boolean {
  return hasNoCredential(requestContext.request.http?.headers);
}
