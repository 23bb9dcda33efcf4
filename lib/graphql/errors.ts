import { GraphQLError } from "graphql";
import { log } from "../log.js";

/**
 * Error codes clients can rely on. Domain codes (SLOT_FULL, ILLEGAL_TRANSITION...) are added by
 * the subgraphs that raise them.
 */
export type ErrorCode =
  | "BAD_USER_INPUT"
  | "NOT_FOUND"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | (string & {});

/** A GraphQL error whose `extensions.code` tells the client what went wrong. */
export function userError(
  code: ErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}

export function badUserInput(
  message: string,
  extensions: Record<string, unknown> = {},
): GraphQLError {
  return userError("BAD_USER_INPUT", message, extensions);
}

export function notFound(message: string): GraphQLError {
  return userError("NOT_FOUND", message);
}

/** Codes that are safe to show as they are; anything else is an internal error. */
function isClientError(error: GraphQLError): boolean {
  const code = error.extensions?.code;
  return typeof code === "string" && code !== "INTERNAL_SERVER_ERROR";
}

/**
 * Apollo Server's `formatError`: client errors go out as raised, anything else (a database error,
 * a bug) is logged here and answered with a bare message, so that no SQL, stack trace or host name
 * reaches a client.
 */
export function maskInternalErrors(
  formatted: { message: string; extensions?: Record<string, unknown> },
  error: unknown,
) {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  if (original instanceof GraphQLError && isClientError(original)) return formatted;
  if (error instanceof GraphQLError && isClientError(error)) return formatted;
  log.error("internal error", original);
  return {
    ...formatted,
    message: "Erreur interne du serveur",
    extensions: { code: "INTERNAL_SERVER_ERROR" },
  };
}
