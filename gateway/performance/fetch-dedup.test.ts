import { describe, expect, it } from "vitest";
import { fetchDeduplication } from "./fetch-dedup.js";
import { fetchOf, heldSubgraph } from "./fetch-test-options.js";

const analyst = { role: "analyst", subject: "key:1", actsFor: null } as const;

describe("in-flight deduplication of subgraph fetches", () => {
  it("calls the subgraph once for identical fetches under way, each request getting its own copy and hint", async () => {
    const subgraph = heldSubgraph();
    const fetch = fetchDeduplication()("directory", subgraph.fetch);
    const requests = Array.from({ length: 5 }, () => fetchOf());
    const answers = Promise.all(requests.map(({ options }) => fetch(options)));
    subgraph.release();
    const [first, ...others] = await answers;
    expect(subgraph.calls()).toBe(1);
    first!.data!.territory.name = "changé par le plan du premier";
    for (const answer of others) expect(answer.data).toEqual({ territory: { name: "Lomme" } });
    // The leader's hint is recorded by the data source itself; each follower gets the same.
    for (const { hints } of requests.slice(1))
      expect(hints).toEqual([{ maxAge: 600, scope: "PUBLIC" }]);
  });

  it("merges only fetches sent for the same identity, with the same variables", async () => {
    const subgraph = heldSubgraph();
    const fetch = fetchDeduplication()("directory", subgraph.fetch);
    const answers = Promise.all([
      fetch(fetchOf().options),
      fetch(fetchOf({ identity: analyst }).options),
      fetch(fetchOf({ identity: { ...analyst, subject: "key:2" } }).options),
      fetch(fetchOf({ variables: { id: "COM:59350" } }).options),
      fetch(fetchOf({ identity: analyst }).options),
    ]);
    subgraph.release();
    await answers;
    expect(subgraph.calls()).toBe(4);
  });

  it("never merges a mutation's fetches", async () => {
    const subgraph = heldSubgraph();
    const fetch = fetchDeduplication()("bookings", subgraph.fetch);
    const answers = Promise.all(
      [1, 2, 3].map(() => fetch(fetchOf({ operation: "mutation" }).options)),
    );
    subgraph.release();
    await answers;
    expect(subgraph.calls()).toBe(3);
  });

  it("forgets a fetch once answered, and shares a failure with those who waited for it", async () => {
    const dedup = fetchDeduplication();
    let calls = 0;
    const fetch = dedup("directory", async () => {
      calls += 1;
      throw new Error("injoignable");
    });
    const results = await Promise.allSettled([fetch(fetchOf().options), fetch(fetchOf().options)]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(dedup.inFlight()).toBe(0);
    await fetch(fetchOf().options).catch(() => {});
    expect(calls).toBe(2);
  });
});
