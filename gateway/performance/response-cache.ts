import { createHash } from "node:crypto";
import type { Request, RequestHandler } from "express";
import { getOperationAST, parse } from "graphql";
import { hasNoCredential } from "./anonymous.js";
import type { SharedCache } from "./shared-cache.js";
import { publicMaxAge } from "./subgraph-fetch.js";

/**
 * The gateway's response cache, in front of Apollo Server: a hit is answered before the request
 * is parsed, validated or planned. What it keeps, and for how long, is what Apollo Server decided:
 * an answer whose `Cache-Control` says `public` (the subgraphs' cache hints, the shortest of
 * the fetches it was built from; never one with errors) is kept for its `max-age`. Never for a
 * request with a credential, never for a mutation; keyed by everything that shapes the answer
 * (the operation, its variables and name, the persisted query's hash, the media type asked for).
 */
export function responseCache(
  cache: SharedCache,
  /**
   * What else an answer depends on: with trusted documents, the app deployments served, so that
   * no answer kept for an operation outlives its deployment's retirement.
   */
  variant: () => string = () => "",
): RequestHandler {
  return async (request, response, next) => {
    const key = hasNoCredential(request) ? keyOf(request, variant()) : undefined;
    if (!key) return next();
    const hit = await cache.get("response", key);
    if (hit) {
      // Written by Node itself: Express's send would hash the answer for an ETag on every hit.
      const newline = hit.value.indexOf("\n");
      const body = hit.value.slice(newline + 1);
      response.writeHead(200, {
        "content-type": hit.value.slice(0, newline),
        "content-length": Buffer.byteLength(body),
        "cache-control": `max-age=${hit.maxAge}, public`,
        age: String(hit.age),
      });
      response.end(body);
      return;
    }
    const send = response.send.bind(response);
    response.send = (body) => {
      const maxAge = publicMaxAge(response.get("cache-control"));
      if (response.statusCode === 200 && maxAge > 0 && typeof body === "string" && isQuery(request))
        void cache.set("response", key, `${response.get("content-type")}\n${body}`, maxAge);
      return send(body);
    };
    next();
  };
}

/** GET carries the request in its query string, JSON-encoded; POST in its JSON body. */
function paramsOf(request: Request): Record<string, unknown> | undefined {
  if (request.method === "POST")
    return typeof request.body === "object" && request.body !== null ? request.body : undefined;
  if (request.method !== "GET") return undefined;
  const { query, operationName, variables, extensions } = request.query;
  try {
    return {
      query,
      operationName,
      variables: typeof variables === "string" ? JSON.parse(variables) : undefined,
      extensions: typeof extensions === "string" ? JSON.parse(extensions) : undefined,
    };
  } catch {
    return undefined; // Apollo Server answers what is wrong with it
  }
}

function keyOf(request: Request, variant: string): string | undefined {
  const params = paramsOf(request);
  if (!params || Array.isArray(params)) return undefined;
  const { query, variables, operationName, extensions } = params as {
    query?: unknown;
    variables?: unknown;
    operationName?: unknown;
    extensions?: { persistedQuery?: { sha256Hash?: unknown } };
  };
  return createHash("sha256")
    .update(
      JSON.stringify([
        query ?? null,
        variables ?? {},
        operationName ?? null,
        extensions?.persistedQuery?.sha256Hash ?? null,
        request.get("accept") ?? null,
        variant,
      ]),
    )
    .digest("base64url");
}

/** Only on a miss that is worth keeping: the operation the request runs is a query. */
function isQuery(request: Request): boolean {
  const { query, operationName } = paramsOf(request) as {
    query?: unknown;
    operationName?: unknown;
  };
  if (typeof query !== "string") return false;
  try {
    return (
      getOperationAST(parse(query), typeof operationName === "string" ? operationName : undefined)
        ?.operation === "query"
    );
  } catch {
    return false;
  }
}
