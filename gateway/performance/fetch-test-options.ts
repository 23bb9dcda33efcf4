import type { GatewayCacheHint } from "@apollo/server-gateway-interface";
import { ANONYMOUS, type Identity } from "../../lib/identity.js";
import { answeredWith, type FetchOptions } from "./subgraph-fetch.js";

/** A subgraph fetch of a request, as the gateway's plan makes it, and the cache hints it records. */
export function fetchOf({
  operation = "query",
  identity = ANONYMOUS,
  variables = { id: "COMA:59355" },
}: {
  operation?: "query" | "mutation";
  identity?: Identity;
  variables?: object;
} = {}) {
  const hints: GatewayCacheHint[] = [];
  const options = {
    kind: "incoming operation",
    request: {
      query: `${operation} Page__directory__0($id:ID!){territory(id:$id){name}}`,
      variables,
    },
    context: { identity },
    incomingRequestContext: {
      operation: { operation },
      overallCachePolicy: { restrict: (hint: GatewayCacheHint) => hints.push(hint) },
    },
  } as unknown as FetchOptions;
  return { options, hints };
}

/** A subgraph that answers after `release()`, counting its calls. */
export function heldSubgraph(cacheControl = "max-age=600, public") {
  let calls = 0;
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const fetch = async () => {
    calls += 1;
    await held;
    return {
      data: { territory: { name: "Lomme" } },
      http: answeredWith(cacheControl),
    };
  };
  return { fetch, release, calls: () => calls };
}
