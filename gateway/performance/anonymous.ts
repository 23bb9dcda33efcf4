import type { ApolloServerPlugin, GraphQLRequestContext } from "@apollo/server";

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

/**
 * Marks the answer to a request with a credential `private`. Apollo Server sends the subgraphs'
 * `public` hints whoever asks, and `public` lets a shared cache (a CDN) keep even an answer to a
 * request carrying `Authorization`, then serve it to anyone.
 */
export function privateUnlessAnonymous(): ApolloServerPlugin {
  return {
    async requestDidStart(requestContext) {
      if (isAnonymous(requestContext)) return;
      return {
        async executionDidStart({ overallCachePolicy }) {
          overallCachePolicy.restrict({ scope: "PRIVATE" });
        },
      };
    },
  };
}
