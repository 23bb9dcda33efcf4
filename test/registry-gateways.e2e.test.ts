import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request, startTestHub, type TestHub, untilAnswered } from "./harness.js";
import { type RunningProcess, startCarpoolProcess, startSecondGateway } from "./processes.js";

/**
 * Gateways share the registry through PostgreSQL: one publishes, the others are notified
 * (LISTEN/NOTIFY). PGlite serves a single process, so there is no second gateway to show there:
 * its in-process notification is covered by registry.e2e.test.ts.
 */
const postgres = Boolean(process.env.DATABASE_URL);
if (!postgres)
  console.info(
    "registry-gateways: skipped on PGlite, which one process only can open; set DATABASE_URL to run it",
  );

let hub: TestHub;
let carpool: RunningProcess;
let second: RunningProcess;
beforeAll(async () => {
  if (!postgres) return;
  // The subgraphs answer only gateways that sign with their secret: both gateways share it.
  process.env.HUB_IDENTITY_SECRET ||= randomBytes(32).toString("hex");
  hub = await startTestHub();
  carpool = await startCarpoolProcess();
  second = await startSecondGateway(hub);
});
afterAll(async () => {
  await second?.stop();
  await carpool?.stop();
  await hub?.close();
});

describe.skipIf(!postgres)("a second gateway process on the same PostgreSQL", () => {
  it("serves a publication made through the first one, notified rather than polling", async () => {
    const query = `{ territory(id: "COMA:59355") { name carpoolOffers { to } } }`;
    expect((await request(second.url, query)).errors?.[0]?.extensions?.code).toBe(
      "GRAPHQL_VALIDATION_FAILED",
    );
    const adminKey = await hub.as("admin");
    const published = await request(
      `${hub.gatewayUrl}/admin/graphql`,
      `mutation($url: String!) { publishSubgraph(name: "carpool", url: $url) { revision } }`,
      { url: carpool.url },
      adminKey,
    );
    expect(published.errors).toBeUndefined();
    // It polls once an hour (above): only the notification can bring the new supergraph before
    // this wait gives up.
    const answer = await untilAnswered<{ territory: { carpoolOffers: { to: string }[] } }>(
      second.url,
      query,
    );
    expect(answer.data?.territory.carpoolOffers).toEqual([{ to: "Armentières" }]);
  });
});
