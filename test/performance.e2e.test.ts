import { readdirSync, readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { startGateway } from "../gateway/server.js";
import { territories } from "../subgraphs/directory/tables.js";
import { request, startTestHub, type TestHub, testRegistrySettings } from "./harness.js";
import { REDIS_URL, redisAnswers } from "./redis.js";

let hub: TestHub | undefined;
afterEach(async () => {
  await hub?.close();
  hub = undefined;
});

const TERRITORY = `{ territory(id: "COMA:59355") { name parent { name } platforms(first: 5) { totalCount nodes { name } } } }`;

async function statementsFor(send: () => Promise<unknown>): Promise<number> {
  const before = hub!.database.statements.count;
  await send();
  return hub!.database.statements.count - before;
}

describe("response cache", () => {
  it("answers a repeated anonymous query from the cache, with the subgraph's Cache-Control", async () => {
    hub = await startTestHub({
      gateway: { performance: { responseCache: true, fetchCache: false, deduplication: false } },
    });
    expect(await statementsFor(() => hub!.query(TERRITORY))).toBeGreaterThan(0);
    const cached = await fetch(`${hub.gatewayUrl}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: TERRITORY }),
    });
    expect(cached.headers.get("age")).not.toBeNull();
    expect(cached.headers.get("cache-control")).toBe("max-age=600, public");
    expect(await statementsFor(() => hub!.query(TERRITORY))).toBe(0);
    expect(
      (await hub.query<{ territory: { name: string } }, unknown>(TERRITORY)).data?.territory.name,
    ).toBe("Lomme");
  });

  it('answers the portal\'s "près de chez moi" page from the cache: four subgraphs, the next free slots 30 s old at most', async () => {
    hub = await startTestHub({
      gateway: { performance: { responseCache: true, fetchCache: false, deduplication: false } },
    });
    const page = {
      query: readFileSync("gateway/playground/operations/1-pres-de-chez-moi.graphql", "utf8"),
      variables: { territoryId: "COM:59350" },
    };
    const send = () =>
      fetch(`${hub!.gatewayUrl}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(page),
      });
    const first = await statementsFor(async () =>
      expect((await (await send()).json()).errors).toBeUndefined(),
    );
    expect(first).toBeGreaterThan(0);
    let cached!: Response;
    expect(await statementsFor(async () => (cached = await send()))).toBe(0);
    expect(cached.headers.get("cache-control")).toBe("max-age=30, public");
    expect(cached.headers.get("age")).not.toBeNull();
    const body = (await cached.json()) as {
      data: { territory: { name: string; repairers: { nodes: { nextAvailableSlot: string }[] } } };
    };
    expect(body.data.territory.name).toBe("Lille");
    expect(body.data.territory.repairers.nodes.length).toBeGreaterThan(0);
  });

  it("never serves or stores a cached answer for a request with credentials", async () => {
    hub = await startTestHub({
      gateway: { performance: { responseCache: true, fetchCache: false, deduplication: false } },
    });
    const analyst = await hub.as("analyst");
    const withKey = () => request(hub!.gateway.url, TERRITORY, undefined, analyst);
    expect(await statementsFor(withKey)).toBeGreaterThan(0);
    expect(await statementsFor(withKey)).toBeGreaterThan(0);
  });

  it("does not cache an answer with errors", async () => {
    hub = await startTestHub({
      gateway: { performance: { responseCache: true, fetchCache: false, deduplication: false } },
    });
    const bad = `{ territory(id: "nope") { name } }`;
    await hub.query(bad);
    const again = await fetch(`${hub.gatewayUrl}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: bad }),
    });
    expect(again.headers.get("age")).toBeNull();
  });
});

describe("the response cache, before Apollo Server", () => {
  it("answers a hit without parsing or running it: Apollo Server sees the first request only", async () => {
    hub = await startTestHub({
      gateway: { performance: { responseCache: true, fetchCache: false, deduplication: false } },
    });
    await hub.query(TERRITORY);
    const before = await metricsOf(hub);
    await hub.query(TERRITORY);
    await hub.query(TERRITORY);
    const after = await metricsOf(hub);
    expect(after.requests - before.requests).toBe(0);
    expect(after.hits.response - before.hits.response).toBe(2);
  });
});

describe("the cache of subgraph fetches", () => {
  // Another request (another text, another response-cache key) whose plan makes the same fetch.
  const SAME_FETCH = `query Voisinage { territory(id: "COMA:59355") { name parent { name } platforms(first: 5) { totalCount nodes { name } } } }`;

  it("serves another anonymous request's identical fetch without calling the subgraph", async () => {
    hub = await startTestHub({
      gateway: { performance: { responseCache: true, fetchCache: true, deduplication: true } },
    });
    expect(await statementsFor(() => hub!.query(TERRITORY))).toBeGreaterThan(0);
    const answer = await hub.query<{ territory: { name: string } }, unknown>(SAME_FETCH);
    expect(answer.data?.territory.name).toBe("Lomme");
    expect(await statementsFor(() => hub!.query(`${SAME_FETCH} `))).toBe(0);
    expect((await metricsOf(hub)).hits.fetch).toBeGreaterThan(0);
  });

  it("never serves or stores a fetch made for a request with credentials", async () => {
    hub = await startTestHub({
      gateway: { performance: { responseCache: true, fetchCache: true, deduplication: true } },
    });
    const analyst = await hub.as("analyst");
    expect(await statementsFor(() => hub!.query(TERRITORY, undefined, analyst))).toBeGreaterThan(0);
    expect(await statementsFor(() => hub!.query(SAME_FETCH, undefined, analyst))).toBeGreaterThan(
      0,
    );
    expect(await statementsFor(() => hub!.query(SAME_FETCH))).toBeGreaterThan(0);
  });
});

describe.skipIf(!(await redisAnswers()))("two gateways sharing Redis", () => {
  it("answer from the entry the other stored, response and fetches alike", async () => {
    const performance = {
      responseCache: true,
      fetchCache: true,
      deduplication: true,
      cache: { redisUrl: REDIS_URL, maxMegabytes: 1 },
    };
    hub = await startTestHub({ gateway: { performance } });
    const second = await startGateway({
      subgraphs: [...hub.subgraphs.entries()].map(([name, server]) => ({
        name,
        url: server.url,
        sdl: server.sdl,
      })),
      database: hub.database,
      port: 0,
      performance,
      rateLimit: { perAddress: 1_000_000, perKey: 1_000_000, windowSeconds: 60 },
      registry: testRegistrySettings(),
    });
    try {
      expect(await statementsFor(() => hub!.query(TERRITORY))).toBeGreaterThan(0);
      expect(await statementsFor(() => request(second.url, TERRITORY))).toBe(0);
      // Another text, so no response-cache entry: its plan's fetches are the ones the first stored.
      expect(await statementsFor(() => request(second.url, `${TERRITORY} `))).toBe(0);
    } finally {
      await second.close();
    }
  });
});

/** Requests Apollo Server answered, and cache hits, from the gateway's /metrics. */
async function metricsOf(testHub: TestHub) {
  const text = await (await fetch(`${testHub.gatewayUrl}/metrics`)).text();
  const sum = (pattern: RegExp) =>
    [...text.matchAll(pattern)].reduce((total, [, n]) => total + Number(n), 0);
  return {
    requests: sum(/^hub_graphql_requests_total\{[^}]*\} (\d+)/gm),
    deduplicated: {
      request: sum(/^hub_deduplicated_total\{level="request"\} (\d+)/gm),
    },
    hits: {
      response: sum(/^hub_cache_lookups_total\{cache="response",result="hit"\} (\d+)/gm),
      fetch: sum(/^hub_cache_lookups_total\{cache="fetch",result="hit"\} (\d+)/gm),
    },
  };
}

describe("in-flight deduplication", () => {
  it("runs a burst of identical anonymous queries once", async () => {
    hub = await startTestHub({
      gateway: { performance: { responseCache: false, fetchCache: false, deduplication: true } },
    });
    const alone = await statementsFor(() => hub!.query(TERRITORY));
    // The first query of the burst is held in the database until all twenty have arrived.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const lock = hub.database.db.transaction(async (tx) => {
      await tx.execute(sql`lock table ${territories} in access exclusive mode`);
      await held;
    });
    const burst = statementsFor(() =>
      Promise.all(Array.from({ length: 20 }, () => hub!.query(TERRITORY))),
    );
    await expect
      .poll(async () => (await metricsOf(hub!)).deduplicated.request, { timeout: 60_000 })
      .toBe(19);
    release();
    await lock;
    expect((await burst) - 1).toBe(alone); // the lock statement, then one run of the query
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        hub!.query<{ territory: { name: string } }, unknown>(TERRITORY),
      ),
    );
    expect(answers.map((a) => a.data?.territory.name)).toEqual(Array(5).fill("Lomme"));
  });

  it("runs each request with credentials on its own", async () => {
    hub = await startTestHub({
      gateway: { performance: { responseCache: false, fetchCache: false, deduplication: true } },
    });
    const analysts = await Promise.all(Array.from({ length: 11 }, () => hub!.as("analyst")));
    const alone = await statementsFor(() =>
      request(hub!.gateway.url, TERRITORY, undefined, analysts[10]),
    );
    const burst = await statementsFor(() =>
      Promise.all(
        analysts
          .slice(0, 10)
          .map((headers) => request(hub!.gateway.url, TERRITORY, undefined, headers)),
      ),
    );
    expect(burst).toBe(alone * 10);
  });
});

describe("SQL statements per request", () => {
  /** Calls the gateway made to subgraphs so far: the fetches of the plans it ran. */
  async function fetchesSoFar(): Promise<number> {
    const metrics = await (await fetch(`${hub!.gatewayUrl}/metrics`)).text();
    return [
      ...metrics.matchAll(/^hub_subgraph_fetch_duration_seconds_count\{[^}]*\} (\d+)/gm),
    ].reduce((sum, [, n]) => sum + Number(n), 0);
  }

  // Lomme: two collectivités and an EBS instance covering it, repairers of the MEL; Lille: its own.
  it.each(["COMA:59355", "COM:59350"])(
    "the uncached portal page of %s costs no more statements than its plan's fetches",
    async (territoryId) => {
      hub = await startTestHub({
        gateway: { performance: { responseCache: false, fetchCache: false, deduplication: false } },
      });
      const page = readFileSync("gateway/playground/operations/1-pres-de-chez-moi.graphql", "utf8");
      const fetchesBefore = await fetchesSoFar();
      let answer!: Awaited<ReturnType<typeof hub.query<PortalPage, unknown>>>;
      const statements = await statementsFor(
        async () => (answer = await hub!.query<PortalPage, unknown>(page, { territoryId })),
      );
      const fetches = (await fetchesSoFar()) - fetchesBefore;
      expect(answer.errors).toBeUndefined();
      // The page reads all four subgraphs, nested lists included: nothing was left empty.
      const territory = answer.data!.territory;
      expect(territory.platforms.nodes.some((p) => p.themes.length > 0)).toBe(true);
      expect(territory.products.nodes.every((p) => p.category.name)).toBe(true);
      expect(territory.repairers.nodes.length).toBeGreaterThan(0);
      expect(territory.engagements.every((e) => e.collectivite.name)).toBe(true);
      expect(fetches).toBeGreaterThanOrEqual(4);
      expect(statements).toBeLessThanOrEqual(fetches);
    },
  );

  it.each(readdirSync(OPERATIONS).filter((name) => name.endsWith(".graphql")))(
    "the playground's %s costs no more statements than its plan's fetches",
    async (name) => {
      hub = await startTestHub({
        gateway: { performance: { responseCache: false, fetchCache: false, deduplication: false } },
      });
      const fetchesBefore = await fetchesSoFar();
      const statements = await statementsFor(async () =>
        expect(
          (await hub!.query(readFileSync(`${OPERATIONS}/${name}`, "utf8"))).errors,
        ).toBeUndefined(),
      );
      const fetches = (await fetchesSoFar()) - fetchesBefore;
      expect(fetches).toBeGreaterThan(0);
      expect(statements).toBeLessThanOrEqual(fetches);
    },
  );
});

const OPERATIONS = "gateway/playground/operations";

interface PortalPage {
  territory: {
    platforms: { nodes: { themes: unknown[] }[] };
    products: { nodes: { category: { name: string } }[] };
    repairers: { nodes: unknown[] };
    engagements: { collectivite: { name: string } }[];
  };
}
