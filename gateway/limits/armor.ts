import { ApolloArmor } from "@escape.tech/graphql-armor";
import { GraphQLError, type ValidationContext } from "graphql";
import { LIMIT_CODES, type LimitName, type RequestLimits } from "./config.js";

/**
 * graphql-armor's depth, alias, directive and token limits. Its errors carry no code: each
 * rejection is reported again with `extensions.limit`, which `limitErrorCode` turns into the
 * code clients see (Apollo Server gives every validation error GRAPHQL_VALIDATION_FAILED).
 */
export function armorProtection(limits: RequestLimits) {
  const reject = (limit: LimitName) => ({
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) => {
        const limited = new GraphQLError(error.message.replace(/^Syntax Error: /, ""), {
          extensions: { limit },
        });
        if (context) context.reportError(limited);
        else throw limited; // the token limit runs while parsing, outside validation
      },
    ],
  });
  return new ApolloArmor({
    maxDepth: { n: limits.depth, ...reject("depth") },
    maxAliases: { n: limits.aliases, ...reject("aliases") },
    maxDirectives: { n: limits.directives, ...reject("directives") },
    maxTokens: { n: limits.tokens, ...reject("tokens") },
    // Cost is estimated from page sizes by operationBudgetPlugin instead.
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: true },
  }).protect();
}

/** The code of an error raised by a limit, or `undefined` for any other error. */
export function limitErrorCode(error: {
  message: string;
  extensions?: Record<string, unknown> | undefined;
}): string | undefined {
  const limit = error.extensions?.limit;
  if (typeof limit === "string" && limit in LIMIT_CODES) return LIMIT_CODES[limit as LimitName];
  // The token limit fails the parse; Apollo Server rebuilds that error keeping only its message.
  if (/^Token limit of \d+ exceeded/.test(error.message)) return LIMIT_CODES.tokens;
  return undefined;
}
