import { describe, expect, it } from "vitest";
import { fetchCache } from "./fetch-cache.js";
import { fetchOf, heldSubgraph } from "./fetch-test-options.js";
import { createSharedCache } from "./shared-cache.js";

const analyst = { role: "analyst", subject: "key:1", actsFor: null } as const;

async function cacheWithClock() {
  let now = 0;
  const cache = await createSharedCache({ maxMegabytes: 1 }, "test:", undefined, () => now);
  return { cache, advance: (seconds: number) => (now += seconds * 1000) };
}

describe("the cache of subgraph fetches", () => {
  it("answers an anonymous fetch again for what is left of its subgraph's max-age, then fetches", async () => {
    const { cache, advance } = await cacheWithClock();
    const subgraph = heldSubgraph("max-age=600, public");
    subgraph.release();
    const fetch = fetchCache(cache)("directory", subgraph.fetch);
    await fetch(fetchOf().options);
    advance(100);
    const again = fetchOf();
    expect((await fetch(again.options)).data).toEqual({ territory: { name: "Lomme" } });
    expect(subgraph.calls()).toBe(1);
    // The answer it is part of may be kept no longer than the entry has left.
    expect(again.hints).toEqual([{ maxAge: 500, scope: "PUBLIC" }]);
    advance(500);
    await fetch(fetchOf().options);
    expect(subgraph.calls()).toBe(2);
  });

  it("keeps nothing the subgraph does not let anyone share", async () => {
    for (const cacheControl of ["no-store", "max-age=60, private", "max-age=0, public"]) {
      const { cache } = await cacheWithClock();
      const subgraph = heldSubgraph(cacheControl);
      subgraph.release();
      const fetch = fetchCache(cache)("bookings", subgraph.fetch);
      await fetch(fetchOf().options);
      await fetch(fetchOf().options);
      expect(subgraph.calls()).toBe(2);
    }
  });

  it("never reads or writes for a request with an identity, nor for a mutation", async () => {
    const { cache } = await cacheWithClock();
    const subgraph = heldSubgraph();
    subgraph.release();
    const fetch = fetchCache(cache)("directory", subgraph.fetch);
    await fetch(fetchOf({ identity: analyst }).options);
    await fetch(fetchOf({ operation: "mutation" }).options);
    await fetch(fetchOf().options);
    expect(subgraph.calls()).toBe(3);
    await fetch(fetchOf({ identity: analyst }).options);
    await fetch(fetchOf({ operation: "mutation" }).options);
    expect(subgraph.calls()).toBe(5);
  });

  it("keeps subgraphs and variables apart", async () => {
    const { cache } = await cacheWithClock();
    const subgraph = heldSubgraph();
    subgraph.release();
    await fetchCache(cache)("directory", subgraph.fetch)(fetchOf().options);
    await fetchCache(cache)("exchanges", subgraph.fetch)(fetchOf().options);
    await fetchCache(cache)("directory", subgraph.fetch)(
      fetchOf({ variables: { id: "DEP:59" } }).options,
    );
    expect(subgraph.calls()).toBe(3);
  });
});
