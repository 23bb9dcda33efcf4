import { createHash } from "node:crypto";
import type { ApolloServerPlugin, GraphQLRequestContext } from "@apollo/server";
import type { FormattedExecutionResult } from "graphql";
import { isAnonymous } from "./anonymous.js";

type Result = Pick<FormattedExecutionResult, "data" | "errors" | "extensions">;

/**
 * In-flight deduplication: identical anonymous queries arriving while the first is being
 * answered wait for its result instead of running the plan again. Under a burst on one territory
 * page, the subgraphs see one request per burst, not one per client.
 */
export function inFlightDeduplication(
  onJoin: () => void = () => {},
): ApolloServerPlugin & { inFlight(): number } {
  const inFlight = new Map<string, Promise<Result>>();

  const keyOf = (requestContext: GraphQLRequestContext<object>): string | undefined => {
    if (requestContext.operation?.operation !== "query" || !isAnonymous(requestContext))
      return undefined;
    const { query, variables, operationName } = requestContext.request;
    return createHash("sha256")
      .update(JSON.stringify([query, variables ?? {}, operationName ?? null]))
      .digest("hex");
  };

  return {
    inFlight: () => inFlight.size,
    async requestDidStart() {
      let settle: ((result: Result) => void) | undefined;
      let key: string | undefined;
      return {
        async responseForOperation(requestContext) {
          key = keyOf(requestContext);
          if (!key) return null;
          const leader = inFlight.get(key);
          if (leader) {
            onJoin();
            const result = await leader;
            return {
              http: requestContext.response.http,
              body: { kind: "single", singleResult: result },
            };
          }
          inFlight.set(key, new Promise<Result>((resolve) => (settle = resolve)));
          return null;
        },
        async willSendResponse({ response }) {
          if (!settle || !key) return;
          const body = response.body;
          settle(
            body.kind === "single"
              ? body.singleResult
              : { errors: [{ message: "Réponse incrémentale non partagée." }] },
          );
          inFlight.delete(key);
        },
      };
    },
  };
}
