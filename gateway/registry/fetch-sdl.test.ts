import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listen, type RunningServer } from "../../lib/http.js";
import { checkSdlSize, fetchSubgraphSdl, probeSubgraph } from "./fetch-sdl.js";
import { partnerFetch } from "./partner-fetch.js";
import { readAllowList } from "./routing-url.js";

let server: RunningServer;
beforeAll(async () => {
  const app = express();
  app.post(
    "/ok",
    (_req, res) => void res.json({ data: { _service: { sdl: "type Query { a: Int }" } } }),
  );
  app.post(
    "/huge",
    (_req, res) =>
      void res.json({ data: { _service: { sdl: `type Query { a: Int } # ${"x".repeat(5000)}` } } }),
  );
  // Never answers: only the timeout ends a request to it.
  app.post("/slow", () => {});
  app.post("/redirect", (_req, res) => res.redirect(307, "/ok"));
  app.post("/not-a-subgraph", (_req, res) => void res.json({ data: { hello: "world" } }));
  server = await listen(app, 0, "127.0.0.1");
});
afterAll(() => server?.close());

const limits = { maxBytes: 1000, timeoutMs: 3000 };
const fetch = partnerFetch(readAllowList("127.0.0.0/8"));
const fetchAt = (path: string) => fetchSubgraphSdl(new URL(`${server.url}${path}`), limits, fetch);

describe("fetching a subgraph's SDL", () => {
  it("reads _service { sdl }", async () => {
    expect(await fetchAt("/ok")).toBe("type Query { a: Int }");
  });

  it("bounds the size, the time, and follows no redirect", async () => {
    await expect(fetchAt("/huge")).rejects.toMatchObject({ extensions: { code: "SDL_TOO_LARGE" } });
    await expect(fetchAt("/slow")).rejects.toMatchObject({
      extensions: { code: "SDL_FETCH_FAILED" },
      message: expect.stringMatching(/3000 ms/),
    });
    await expect(fetchAt("/redirect")).rejects.toMatchObject({
      extensions: { code: "SDL_FETCH_FAILED" },
    });
    await expect(fetchAt("/not-a-subgraph")).rejects.toMatchObject({
      extensions: { code: "SDL_FETCH_FAILED" },
    });
    await expect(fetchAt("/nowhere")).rejects.toMatchObject({
      extensions: { code: "SDL_FETCH_FAILED" },
    });
    expect(() => checkSdlSize("x".repeat(1001), limits)).toThrow(/1000 octets/);
  });
});

describe("probing a subgraph", () => {
  it("is healthy when it answers, unhealthy when it fails, redirects or takes too long", async () => {
    const probe = (path: string) => probeSubgraph(`${server.url}${path}`, limits, fetch);
    expect(await probe("/ok")).toBe("HEALTHY");
    expect(await Promise.all(["/slow", "/redirect", "/nowhere"].map(probe))).toEqual([
      "UNHEALTHY",
      "UNHEALTHY",
      "UNHEALTHY",
    ]);
  });
});
