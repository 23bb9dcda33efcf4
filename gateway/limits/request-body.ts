import express, { type ErrorRequestHandler, type RequestHandler, type Response } from "express";
import { log } from "../../lib/log.js";
import { parseJson } from "./parse-json.js";

/** A refusal at the HTTP edge, in the shape of a GraphQL response, as clients parse every answer. */
export function sendError(response: Response, status: number, code: string, message: string) {
  response
    .status(status)
    .type("application/json; charset=utf-8")
    .send(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}

/**
 * The body of a GraphQL request: JSON up to `limit`, POSTed; any other method but GET (queries in
 * the URL) is refused with 405, any other media type with 415, as the GraphQL-over-HTTP spec says.
 */
export function graphqlRequestBody(limit: string): RequestHandler[] {
  return [
    (request, response, next) => {
      if (request.method === "GET" || request.method === "HEAD") return next();
      if (request.method !== "POST") {
        response.setHeader("Allow", "GET, POST");
        return sendError(
          response,
          405,
          "METHOD_NOT_ALLOWED",
          `Méthode ${request.method} non acceptée : GET ou POST.`,
        );
      }
      if (!request.is("application/json"))
        return sendError(
          response,
          415,
          "UNSUPPORTED_MEDIA_TYPE",
          "Corps attendu en application/json.",
        );
      next();
    },
    ...jsonBody(limit),
  ];
}

/**
 * A JSON body up to `limit`, as `express.json` reads it (an empty body is `{}`, anything but an
 * object or an array is refused with 400), in UTF-8 (another charset is refused with 415, as
 * the GraphQL-over-HTTP spec asks for UTF-8), parsed off the event loop when it is long.
 */
export function jsonBody(limit: string): RequestHandler[] {
  return [
    (request, _response, next) => {
      const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(request.get("content-type") ?? "");
      if (charset && charset[1]!.toLowerCase() !== "utf-8")
        return next(Object.assign(new Error("charset"), { status: 415 }));
      next();
    },
    express.raw({ type: "application/json", limit }),
    (request, _response, next) => {
      if (!Buffer.isBuffer(request.body)) return next();
      (request.body.byteLength === 0 ? Promise.resolve({}) : parseJson(request.body)).then(
        (body) => {
          if (body === null || typeof body !== "object") return next(unreadable());
          request.body = body;
          next();
        },
        () => next(unreadable()),
      );
    },
  ];
}

/** What `jsonErrorHandler` answers as body-parser's own 400. */
const unreadable = () => Object.assign(new Error("JSON illisible"), { status: 400 });

/** What body-parser's errors become: their status, a code, never Express's HTML page or a stack. */
const BODY_ERRORS: Record<number, { code: string; message: string }> = {
  400: { code: "BAD_REQUEST", message: "Corps de requête illisible : JSON attendu." },
  413: { code: "PAYLOAD_TOO_LARGE", message: "Corps de requête trop grand." },
  415: { code: "UNSUPPORTED_MEDIA_TYPE", message: "Encodage du corps non pris en charge." },
};

/** The last error handler of the gateway's app: a client's mistake keeps its 4xx, anything else is logged. */
export const jsonErrorHandler: ErrorRequestHandler = (error, _request, response, next) => {
  if (response.headersSent) return next(error);
  const status = (error as { status?: unknown }).status;
  const known = typeof status === "number" ? BODY_ERRORS[status] : undefined;
  if (known) return sendError(response, status as number, known.code, known.message);
  if (typeof status === "number" && status >= 400 && status < 500)
    return sendError(response, status, "BAD_REQUEST", "Requête invalide.");
  log.error("HTTP error", error);
  sendError(response, 500, "INTERNAL_SERVER_ERROR", "Erreur interne du serveur");
};

/** Instead of Express's HTML "Cannot GET". */
export const notFound: RequestHandler = (_request, response) =>
  sendError(response, 404, "NOT_FOUND", "Ressource inconnue.");
