import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listen, type RunningServer } from "../../lib/http.js";
import { partnerFetch } from "./partner-fetch.js";
import { readAllowList } from "./routing-url.js";

// A partner's name, whose answer the test changes between two calls as a hostile DNS server would.
const dns: Record<string, string[]> = {};
const resolve = async (hostname: string) => dns[hostname] ?? [];

let server: RunningServer;
let hits = 0;
beforeAll(async () => {
  const app = express();
  // Closes each connection, so that every call connects (and resolves) again.
  app.post("/graphql", (_req, res) => {
    hits += 1;
    res.set("connection", "close").json({ data: { __typename: "Query" } });
  });
  server = await listen(app, 0, "127.0.0.1");
});
afterAll(() => server?.close());

const port = () => new URL(server.url).port;
const call = (fetch: ReturnType<typeof partnerFetch>) =>
  fetch(`http://covoiturage.partenaire.test:${port()}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  }).then(
    (response) => response.status,
    (error: Error & { cause?: { code?: string } }) => error.cause?.code ?? error.message,
  );

describe("the fetch for partners' subgraphs", () => {
  it("connects while the name resolves inside the allow-list, and refuses once it points elsewhere", async () => {
    const fetch = partnerFetch(readAllowList("127.0.0.0/8"), resolve);
    dns["covoiturage.partenaire.test"] = ["127.0.0.1"];
    expect(await call(fetch)).toBe(200);
    const before = hits;
    for (const rebound of [["169.254.169.254"], ["10.0.0.7"], ["127.0.0.1", "10.0.0.7"], []]) {
      dns["covoiturage.partenaire.test"] = rebound;
      expect(await call(fetch), rebound.join(",")).toBe("ROUTING_URL_REFUSED");
    }
    expect(hits).toBe(before);
  });

  it("lets an allowed name resolve anywhere but to link-local and metadata addresses", async () => {
    const fetch = partnerFetch(readAllowList("covoiturage.partenaire.test"), resolve);
    dns["covoiturage.partenaire.test"] = ["127.0.0.1"];
    expect(await call(fetch)).toBe(200);
    dns["covoiturage.partenaire.test"] = ["169.254.169.254"];
    expect(await call(fetch)).toBe("ROUTING_URL_REFUSED");
  });
});
