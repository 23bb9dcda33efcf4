import type { ApolloServerPlugin } from "@apollo/server";
import { type DocumentNode, GraphQLError, visit } from "graphql";

/** A NUL character, which PostgreSQL refuses in text, or half of a UTF-16 surrogate pair. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is the character looked for.
const UNUSABLE = /[\u0000\uD800-\uDFFF]/u;

function unusableValue(value: unknown, path: string): string | undefined {
  if (typeof value === "string") return UNUSABLE.test(value) ? path : undefined;
  if (Array.isArray(value))
    return value.map((item, i) => unusableValue(item, `${path}[${i}]`)).find(Boolean);
  if (value && typeof value === "object")
    return Object.entries(value)
      .map(([key, item]) => unusableValue(item, `${path}.${key}`))
      .find(Boolean);
  return undefined;
}

function unusableLiteral(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    StringValue(node) {
      if (UNUSABLE.test(node.value)) found = true;
    },
  });
  return found;
}

/**
 * Refuses, as the client's mistake, strings no subgraph can store or look up (a NUL byte, a lone
 * surrogate) in an argument or a variable, rather than letting the database fail on them: that
 * was an internal error, and a line in the error log per request.
 */
export function unusableInputPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request }) {
          const variable = unusableValue(request.variables ?? {}, "$");
          if (!variable && !unusableLiteral(document)) return;
          throw new GraphQLError(
            "Caractère inutilisable dans une chaîne (NUL ou demi-paire UTF-16).",
            {
              extensions: {
                code: "BAD_USER_INPUT",
                ...(variable ? { variable: variable.replace(/^\$\./, "") } : {}),
                http: { status: 400 },
              },
            },
          );
        },
      };
    },
  };
}
