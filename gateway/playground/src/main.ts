import "graphiql/setup-workers/vite";
import "graphiql/style.css";
import { createGraphiQLFetcher, type Fetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import { createElement as h } from "react";
import { createRoot } from "react-dom/client";
import { apiKey, apiKeyPlugin, consoleUrl } from "./api-key.js";
import { chartPlugin } from "./chart.js";
import { lastResult } from "./last-result.js";

/** The ready operations, French titles on their first line (`# …`), one tab each. */
const operations = import.meta.glob<string>("../operations/*.graphql", {
  query: "?raw",
  import: "default",
  eager: true,
});
const defaultTabs = Object.keys(operations)
  .sort()
  .map((path) => ({ query: operations[path]! }));

// Beside the page, whether it is served at / or /playground, and behind a path prefix too.
const endpoint = `${window.location.pathname.replace(/playground\/?$/, "").replace(/\/?$/, "/")}graphql`;
// One JSON answer per request (the gateway does not stream @defer), so the chart panel sees every answer.
const base = createGraphiQLFetcher({ url: endpoint, enableIncrementalDelivery: false });

/** Adds the key kept in this browser, and remembers each answer for the chart and CSV panel. */
const fetcher: Fetcher = async (params, options) => {
  const key = apiKey.get();
  const headers = {
    ...(options?.headers ?? {}),
    ...(key ? { Authorization: `Bearer ${key}` } : {}),
  };
  const result = await base(params, { ...options, headers });
  // GraphiQL's own schema introspection is no answer of the user's.
  if (params.operationName !== "IntrospectionQuery") lastResult.set(result);
  return result;
};

createRoot(document.getElementById("playground")!).render(
  h(
    GraphiQL,
    {
      fetcher,
      defaultTabs,
      plugins: [chartPlugin, apiKeyPlugin],
      defaultEditorToolsVisibility: true,
    },
    // The registry console, in GraphiQL's logo slot (top right of the editor).
    h(GraphiQL.Logo, null, h("a", { href: consoleUrl }, "Console du registre")),
  ),
);
