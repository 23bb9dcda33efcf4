import type { ApolloServerOptions, ApolloServerPlugin, BaseContext } from "@apollo/server";
import { maskInternalErrors } from "../../lib/graphql/errors.js";
import { armorProtection } from "./armor.js";
import type { RequestLimits } from "./config.js";
import { namedErrorCode } from "./error-codes.js";
import { rootFieldLimit } from "./root-fields.js";
import { unusableInputPlugin } from "./unusable-input.js";

/**
 * The limits on a document that need no schema knowledge beyond graphql-js's (tokens, depth,
 * aliases, directives, root fields, unusable strings) and the error format that names them: the gateway's and each
 * subgraph's Apollo Server take the same, so that a subgraph called directly defends itself.
 */
export function documentLimits(limits: RequestLimits): Pick<
  ApolloServerOptions<BaseContext>,
  "parseOptions" | "validationRules" | "formatError"
> & {
  plugins: ApolloServerPlugin[];
} {
  // graphql-armor's types are those of Apollo Server's CommonJS build: the same objects at run time.
  const armor = armorProtection(limits);
  return {
    // graphql-js stops at the token limit as at a syntax error: 400, before any other work.
    parseOptions: { maxTokens: limits.tokens },
    validationRules: [rootFieldLimit(limits.rootFields), ...armor.validationRules],
    plugins: [...(armor.plugins as ApolloServerPlugin[]), unusableInputPlugin()],
    formatError: (formatted, error) => {
      // A request over a limit is refused before any subgraph is called, with a code naming the limit.
      const code = namedErrorCode(formatted);
      if (code) return { ...formatted, extensions: { ...formatted.extensions, code } };
      return maskInternalErrors(formatted, error);
    },
  };
}
