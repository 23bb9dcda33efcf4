import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { REDIS_URL, redisAnswers } from "../../test/redis.js";
import { createSharedCache, deploymentNamespace, type SharedCache } from "./shared-cache.js";

/** A clock the test moves by hand: entries expire by it, with no waiting. */
function clock() {
  let now = 1_000_000;
  return { now: () => now, advance: (seconds: number) => (now += seconds * 1000) };
}

describe("the shared cache in memory", () => {
  it("answers an entry with its age until its lifetime is over, then misses", async () => {
    const time = clock();
    const lookups: string[] = [];
    const cache = await createSharedCache(
      { maxMegabytes: 1 },
      "test:",
      (kind, hit) => lookups.push(`${kind} ${hit ? "hit" : "miss"}`),
      time.now,
    );
    await cache.set("fetch", "k", "valeur", 30);
    time.advance(12);
    expect(await cache.get("fetch", "k")).toEqual({ value: "valeur", maxAge: 30, age: 12 });
    expect(await cache.get("response", "k")).toBeUndefined();
    time.advance(18);
    expect(await cache.get("fetch", "k")).toBeUndefined();
    expect(lookups).toEqual(["fetch hit", "response miss", "fetch miss"]);
  });

  it("keeps nothing without a lifetime", async () => {
    const cache = await createSharedCache({ maxMegabytes: 1 }, "test:");
    await cache.set("response", "k", "valeur", 0);
    expect(await cache.get("response", "k")).toBeUndefined();
  });

  it("is bounded: past its size, the least recently used entries go, and a huge one is not kept", async () => {
    const cache = await createSharedCache({ maxMegabytes: 1 }, "test:");
    const page = "x".repeat(300 * 1024);
    for (const key of ["a", "b", "c", "d"]) await cache.set("response", key, page, 600);
    expect(await cache.get("response", "a")).toBeUndefined();
    expect((await cache.get("response", "d"))?.value).toBe(page);
    await cache.set("response", "huge", "x".repeat(2 * 1024 * 1024), 600);
    expect(await cache.get("response", "huge")).toBeUndefined();
  });
});

describe.skipIf(!(await redisAnswers()))("the shared cache in Redis", () => {
  const namespace = `test:${randomBytes(6).toString("hex")}:`;
  const opened: SharedCache[] = [];
  const open = async (space = namespace) => {
    const cache = await createSharedCache({ redisUrl: REDIS_URL, maxMegabytes: 1 }, space);
    opened.push(cache);
    return cache;
  };
  afterAll(async () => {
    await Promise.all(opened.map((cache) => cache.close()));
  });

  it("shares an entry between two gateway processes' connections, under Redis's own expiry", async () => {
    const [first, second] = [await open(), await open()];
    await first.set("fetch", "territoire", '{"data":{}}', 45);
    expect((await second.get("fetch", "territoire"))?.value).toBe('{"data":{}}');
    const redis = new Redis(REDIS_URL);
    const ttl = await redis.pttl(`${namespace}fetch:territoire`);
    await redis.quit();
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(45_000);
  });

  it("keeps deployments apart: another identity secret, another namespace", async () => {
    const ours = deploymentNamespace(new TextEncoder().encode("a".repeat(32)));
    const theirs = deploymentNamespace(new TextEncoder().encode("b".repeat(32)));
    expect(ours).not.toBe(theirs);
    await (await open(namespace + ours)).set("response", "page", "réponse", 60);
    expect(await (await open(namespace + theirs)).get("response", "page")).toBeUndefined();
  });

  it("misses, without an error, when Redis does not answer", async () => {
    const cache = await createSharedCache(
      { redisUrl: "redis://127.0.0.1:1", maxMegabytes: 1 },
      namespace,
    );
    opened.push(cache);
    await cache.set("fetch", "k", "valeur", 60);
    expect(await cache.get("fetch", "k")).toBeUndefined();
  });
});
