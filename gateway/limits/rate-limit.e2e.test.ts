import { randomBytes } from "node:crypto";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { listen, type RunningServer } from "../../lib/http.js";
import { REDIS_URL, redisAnswers } from "../../test/redis.js";
import { createRateLimiter, type RateLimiter, type RateLimitOptions } from "./rate-limit.js";

const redisAvailable = await redisAnswers();
if (!redisAvailable)
  console.log(`rate-limit.e2e.test: no Redis at ${REDIS_URL}, the shared-limit test is skipped`);

const running: { server: RunningServer; limiter: RateLimiter }[] = [];
afterEach(async () => {
  for (const { server, limiter } of running.splice(0)) {
    await server.close();
    await limiter.close();
  }
});

/** Stands in for the authenticator: one key verifies, any other credential does not. */
const lookups: string[] = [];
const verify = async (authorization: string) => {
  lookups.push(authorization);
  return authorization === "Bearer cle-valide" ? "key:valide" : null;
};

/** A real HTTP server behind the limiter, standing in for one gateway process. */
async function limitedServer(options: RateLimitOptions): Promise<string> {
  const limiter = await createRateLimiter(options, verify);
  const app = express();
  app.post("/graphql", limiter.middleware, (_req, res) => {
    res.json({ data: { ok: true } });
  });
  const server = await listen(app, 0, "127.0.0.1");
  running.push({ server, limiter });
  return `${server.url}/graphql`;
}

const send = (url: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: "POST", headers });

describe("rate limits", () => {
  it("answers 429 with RATE_LIMITED and Retry-After past the limit of an address", async () => {
    const url = await limitedServer({ perAddress: 5, perKey: 100, windowSeconds: 60 });
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push((await send(url)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const refused = await send(url);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({
      errors: [{ extensions: { code: "RATE_LIMITED" } }],
    });
  });

  it("counts a request one point, and one more for each whole 64 KB of its body", async () => {
    const url = await limitedServer({ perAddress: 100, perKey: 100, windowSeconds: 60 });
    const key = { authorization: "Bearer cle-valide" };
    const remaining = async (body?: string) => {
      const response = await fetch(url, { method: "POST", headers: key, body });
      return Number(response.headers.get("ratelimit-remaining"));
    };
    expect(await remaining()).toBe(99);
    expect(await remaining("x".repeat(10 * 64 * 1024 + 100))).toBe(88);
    expect(await remaining("{}")).toBe(87);
    // Past the largest body a route reads (2 MB, refused there with 413), no more than it.
    expect(await remaining("x".repeat(3 * 1024 * 1024))).toBe(54);
  });

  it("counts a verified key apart from the address, with its own limit", async () => {
    const url = await limitedServer({ perAddress: 2, perKey: 4, windowSeconds: 60 });
    const anonymous = [await send(url), await send(url), await send(url)].map((r) => r.status);
    const keyed = [];
    for (let i = 0; i < 5; i++)
      keyed.push((await send(url, { authorization: "Bearer cle-valide" })).status);
    expect(anonymous).toEqual([200, 200, 429]);
    expect(keyed).toEqual([200, 200, 200, 200, 429]);
  });

  it("counts credentials that do not verify against the address: a new junk key per request dodges nothing", async () => {
    const url = await limitedServer({
      perAddress: 3,
      perKey: 100,
      failedAuthentications: 100,
      windowSeconds: 60,
    });
    const statuses = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await send(url, { authorization: `Bearer junk-${i}` })).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    // The address is spent, whichever credential comes next, until one verifies.
    expect((await send(url)).status).toBe(429);
    expect((await send(url, { authorization: "Bearer cle-valide" })).status).toBe(200);
  });

  it("gives failed authentications a tighter limit, past which nothing is looked up", async () => {
    const url = await limitedServer({
      perAddress: 100,
      perKey: 100,
      failedAuthentications: 2,
      windowSeconds: 60,
    });
    lookups.length = 0;
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await send(url, { authorization: `Bearer faux-${i}` })).status);
    expect(statuses).toEqual([200, 200, 429, 429]);
    expect(lookups).toEqual(["Bearer faux-0", "Bearer faux-1"]);
    // Anonymous requests from that address still count only against its own limit.
    expect((await send(url)).status).toBe(200);
  });

  it.skipIf(!redisAvailable)(
    "shares the counters of two gateway processes through Redis",
    async () => {
      const options = {
        perAddress: 6,
        perKey: 100,
        windowSeconds: 60,
        redisUrl: REDIS_URL,
        namespace: `test-${randomBytes(6).toString("hex")}`,
      };
      const [first, second] = [await limitedServer(options), await limitedServer(options)];
      const statuses = [];
      for (let i = 0; i < 5; i++)
        statuses.push((await send(first)).status, (await send(second)).status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(6);
      expect(statuses.filter((s) => s === 429)).toHaveLength(4);
    },
  );
});
