import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Registry } from "../gateway/registry/registry.js";
import { SubgraphGuard } from "../gateway/resilience/guard.js";
import { readResilienceSettings } from "../gateway/resilience/settings.js";
import { type RunningGateway, startGateway } from "../gateway/server.js";
import { HubSupergraphManager } from "../gateway/supergraph-manager.js";
import {
  request,
  startTestHub,
  type TestHub,
  testRegistrySettings,
  untilAnswered,
} from "./harness.js";
import { type RunningProcess, startCarpoolProcess } from "./processes.js";

/**
 * A gateway that misses notifications (a dropped LISTEN connection) still follows the registry by
 * polling. Shown with a second gateway in this process, on the same database, whose notifications
 * never arrive: this works on PGlite too.
 */
let hub: TestHub;
let carpool: RunningProcess;
let deaf: RunningGateway;
beforeAll(async () => {
  hub = await startTestHub();
  carpool = await startCarpoolProcess();
  deaf = await startGateway({
    subgraphs: [...hub.subgraphs].map(([name, server]) => ({
      name,
      url: server.url,
      sdl: server.sdl,
    })),
    database: { ...hub.database, listen: async () => async () => {} },
    port: 0,
    registry: testRegistrySettings({ pollMs: 200 }),
  });
});
afterAll(async () => {
  await deaf?.close();
  await carpool?.stop();
  await hub?.close();
});

describe("a gateway whose notifications are lost", () => {
  it("serves a publication by polling", async () => {
    const query = `{ territory(id: "COM:62907") { name carpoolOffers { to } } }`;
    expect((await request(deaf.url, query)).errors?.[0]?.extensions?.code).toBe(
      "GRAPHQL_VALIDATION_FAILED",
    );
    const published = await request(
      `${hub.gatewayUrl}/admin/graphql`,
      `mutation($url: String!) { publishSubgraph(name: "carpool", url: $url) { revision } }`,
      { url: carpool.url },
      await hub.as("admin"),
    );
    expect(published.errors).toBeUndefined();
    // Its notifications never arrive (above): only a poll can bring the new supergraph.
    const answer = await untilAnswered<{ territory: { carpoolOffers: { to: string }[] } }>(
      deaf.url,
      query,
    );
    expect(answer.data?.territory.carpoolOffers).toEqual([{ to: "Douai" }]);
  });

  it("reads a new supergraph in one statement (and one for its subgraphs), and polls in one while nothing is new", async () => {
    // The hub's gateways share the database and its counter: the deaf one stops polling (every
    // 200 ms) and recording usage, and its syncs are then run by hand; the fewest statements seen
    // around a sync are the sync's (the hub's own gateway still polls, seconds apart).
    await deaf.registry.close();
    const fewest = async (sync: () => Promise<void>) => {
      const counts: number[] = [];
      for (let attempt = 0; attempt < 16; attempt++) {
        const before = hub.database.statements.count;
        await sync();
        counts.push(hub.database.statements.count - before);
      }
      return Math.min(...counts);
    };
    const subgraphs = [...hub.subgraphs].map(([name, server]) => ({
      name,
      url: server.url,
      sdl: server.sdl,
    }));
    // A gateway that has served nothing yet: the latest supergraph is new to it.
    const fresh = () =>
      new Registry({
        database: hub.database,
        manager: new HubSupergraphManager(subgraphs),
        builtIns: subgraphs,
        guard: new SubgraphGuard({ settings: readResilienceSettings(), isBuiltIn: () => true }),
      }).sync();
    expect(await fewest(fresh)).toBe(2);
    expect(await fewest(() => deaf.registry.sync())).toBe(1);
  });
});
