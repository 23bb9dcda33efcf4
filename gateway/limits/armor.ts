import { ApolloArmor } from "@escape.tech/graphql-armor";
import { GraphQLError, type ValidationContext } from "graphql";
import type { LimitName, RequestLimits } from "./config.js";

/**
 * graphql-armor's depth, alias and directive limits. Its errors carry no code: each rejection is
 * reported again with `extensions.limit`, which `namedErrorCode` turns into the code clients see
 * (Apollo Server gives every validation error GRAPHQL_VALIDATION_FAILED). The token limit is
 * graphql-js's own (`parseOptions`): armor's parses the document again in a plugin, where a
 * syntax error becomes a 500.
 */
export function armorProtection(limits: RequestLimits) {
  const reject = (limit: LimitName) => ({
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) => {
        context?.reportError(
          new GraphQLError(error.message.replace(/^Syntax Error: /, ""), {
            extensions: { limit, maximum: limits[limit] },
          }),
        );
      },
    ],
  });
  return new ApolloArmor({
    maxDepth: { n: limits.depth, ...reject("depth") },
    maxAliases: { n: limits.aliases, ...reject("aliases") },
    maxDirectives: { n: limits.directives, ...reject("directives") },
    maxTokens: { enabled: false },
    // Cost is estimated by the cost directives instead (cost.ts).
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: true },
  }).protect();
}
