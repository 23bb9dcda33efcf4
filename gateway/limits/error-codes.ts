import { LIMIT_CODES, type LimitName } from "./config.js";

/**
 * The code of an error Apollo Server or graphql-js raises without one that says what happened:
 * a limit (`extensions.limit`, or graphql-js's token limit, which fails the parse), or a
 * persisted query whose hash is not the one of its text. `undefined` for any other error.
 */
export function namedErrorCode(error: {
  message: string;
  extensions?: Record<string, unknown> | undefined;
}): string | undefined {
  const limit = error.extensions?.limit;
  if (typeof limit === "string" && limit in LIMIT_CODES) return LIMIT_CODES[limit as LimitName];
  // graphql-js writes "more that" in 16.x; "more than" is matched too should it be corrected.
  if (/^Syntax Error: Document contains more tha[nt] \d+ tokens/.test(error.message))
    return LIMIT_CODES.tokens;
  if (error.message === "provided sha does not match query") return "PERSISTED_QUERY_HASH_MISMATCH";
  return undefined;
}
