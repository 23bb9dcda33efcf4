import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readResilienceSettings } from "../gateway/resilience/settings.js";
import {
  type GraphQLResponse,
  request,
  startTestHub,
  type TestHub,
  testRegistrySettings,
} from "./harness.js";
import { carpoolSdl, chainedSdl, type RunningPartner, startPartner } from "./partner.js";
import { runHubCommand } from "./processes.js";

let hub: TestHub;
let partner: RunningPartner;
let adminKey: Record<string, string>;
let partnerToken: Record<string, string>;

const PAGE = `{ territory(id: "COMA:59355") { name carpoolOffers { origin } } }`;
const PUBLISH = `mutation($url: String!, $sdl: String, $force: Boolean! = false, $timeoutMs: Int) {
  publishSubgraph(name: "carpool", url: $url, sdl: $sdl, force: $force, timeoutMs: $timeoutMs) { version } }`;
const FAILURES = 3;

type Page = { territory: { name: string; carpoolOffers: { origin: string }[] | null } | null };
const page = () => hub.query<Page, unknown>(PAGE);
const admin = <Data>(query: string, variables: Record<string, unknown>, headers = adminKey) =>
  request<Data, unknown>(`${hub.gatewayUrl}/admin/graphql`, query, variables, headers);
const publish = (variables: Record<string, unknown>) =>
  admin<{ publishSubgraph: { version: number } }>(
    PUBLISH,
    { url: partner.url, sdl: carpoolSdl(), ...variables },
    partnerToken,
  );
const hubCommand = (args: string[]) =>
  runHubCommand(["subgraph", ...args], {
    HUB_URL: hub.gatewayUrl,
    HUB_TOKEN: partnerToken.authorization!.slice("Bearer ".length),
  });
const breakerState = async () =>
  (
    await admin<{ subgraphs: { name: string; breaker: string }[] }>(
      "{ subgraphs { name breaker } }",
      {},
    )
  ).data?.subgraphs.find((s) => s.name === "carpool")?.breaker;

/** The one error of a page whose partner field failed, the hub's data kept. */
function expectPartnerFieldFailed(response: GraphQLResponse<Page>, code: string) {
  expect(response.data?.territory).toEqual({ name: "Lomme", carpoolOffers: null });
  expect(response.errors).toHaveLength(1);
  expect(response.errors![0]).toMatchObject({
    path: ["territory", "carpoolOffers"],
    extensions: { code, serviceName: "carpool" },
  });
}

beforeAll(async () => {
  hub = await startTestHub({
    gateway: {
      // Each request reaches the partner: no cached or shared answer hides what it does.
      performance: { responseCache: false, deduplication: false },
      resilience: {
        ...readResilienceSettings(),
        breakerFailures: FAILURES,
        breakerCooldownMs: 2000,
      },
      // More types allowed than the hostile megabyte's 23,769: its check then builds its syntax
      // tree and walks its chain (refused past REGISTRY_MAX_DEPTH), the longest a shape check
      // takes. Under the default bound it is refused from its tokens at once (shape.test.ts).
      registry: testRegistrySettings({}, { ...process.env, REGISTRY_MAX_TYPES: "30000" }),
    },
  });
  partner = await startPartner();
  adminKey = await hub.as("admin");
  const { data } = await admin<{ createPartner: { token: string } }>(
    `mutation { createPartner(id: "covoit-coop", name: "Coopérative de covoiturage") { token } }`,
    {},
  );
  partnerToken = { authorization: `Bearer ${data!.createPartner.token}` };
});
afterAll(async () => {
  await partner?.close();
  await hub?.close();
});

describe("schema policy at publication", () => {
  it("refuses a non-null field on a hub type, even forced, naming it; accepts a nullable list of non-null items", async () => {
    for (const force of [false, true]) {
      const refused = await publish({ sdl: carpoolSdl("[CarpoolOffer!]!"), force });
      expect(refused.errors?.[0]?.extensions).toMatchObject({
        code: "PARTNER_FIELD_NOT_NULLABLE",
        fields: ["Territory.carpoolOffers"],
      });
    }
    const schema = join(tmpdir(), `carpool-${process.pid}.graphql`);
    writeFileSync(schema, carpoolSdl("[CarpoolOffer!]!"));
    const forced = await hubCommand([
      "publish",
      "--name",
      "carpool",
      "--url",
      partner.url,
      "--schema",
      schema,
      "--force",
    ]);
    expect(forced.code).not.toBe(0);
    expect(forced.stderr).toMatch(/PARTNER_FIELD_NOT_NULLABLE[\s\S]*Territory\.carpoolOffers/);
    const accepted = await publish({ sdl: carpoolSdl("[CarpoolOffer!]") });
    expect(accepted.errors).toBeUndefined();
    expect((await page()).data?.territory?.carpoolOffers).toEqual([
      { origin: "Mairie (COMA:59355)" },
    ]);
  });
});

describe("a partner that never answers", () => {
  it("loses its field alone, with SUBGRAPH_TIMEOUT at its path, and its connection is closed", async () => {
    // A partner may lower its own deadline.
    expect((await publish({ timeoutMs: 300 })).errors).toBeUndefined();
    partner.behave("hanging");
    expectPartnerFieldFailed(await page(), "SUBGRAPH_TIMEOUT");
    await expect.poll(() => partner.abandoned, { timeout: 10_000 }).toBeGreaterThan(0);
    partner.behave("healthy");
    await expect.poll(async () => (await page()).errors, { timeout: 20_000 }).toBeUndefined();
  });

  it("may not raise its own deadline past PARTNER_TIMEOUT_MS", async () => {
    const refused = await publish({ timeoutMs: readResilienceSettings().partnerTimeoutMs + 1 });
    expect(refused.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});

describe("a partner answering 500", () => {
  it("opens its breaker after consecutive failures, answers at once without calling it, and closes once it is healthy", async () => {
    partner.behave("failing");
    for (let i = 0; i < FAILURES; i++)
      expectPartnerFieldFailed(await page(), "SUBGRAPH_UNAVAILABLE");
    const calls = partner.requests;
    const whileOpen = await Promise.all([page(), page(), page()]);
    for (const response of whileOpen) expectPartnerFieldFailed(response, "SUBGRAPH_CIRCUIT_OPEN");
    expect(partner.requests).toBe(calls);
    expect(await breakerState()).toBe("OPEN");
    expect((await hubCommand(["list"])).stdout).toMatch(/carpool .* breaker OPEN/);
    const metrics = await (await fetch(`${hub.gatewayUrl}/metrics`)).text();
    expect(metrics).toContain('hub_subgraph_circuit_state{subgraph="carpool",state="OPEN"} 1');

    partner.behave("healthy");
    await expect
      .poll(async () => (await page()).data?.territory?.carpoolOffers, { timeout: 30_000 })
      .toEqual([{ origin: "Mairie (COMA:59355)" }]);
    expect(await breakerState()).toBe("CLOSED");
  });
});

describe("a hostile publication", () => {
  it("is refused with SCHEMA_TOO_COMPLEX, and public queries sent meanwhile are all answered before the refusal", async () => {
    const sdl = chainedSdl();
    expect(Buffer.byteLength(sdl)).toBeLessThan(1_048_576);
    const events: string[] = [];
    const publication = publish({ sdl }).then((response) => {
      events.push("refusal");
      return response;
    });
    const queries = Array.from({ length: 10 }, () =>
      hub
        .query<{ territory: { name: string } }, unknown>(`{ territory(id: "COM:59350") { name } }`)
        .then((response) => {
          events.push("answer");
          return response;
        }),
    );
    const answers = await Promise.all(queries);
    const refusal = await publication;
    expect(refusal.errors?.[0]).toMatchObject({
      message: expect.stringContaining("REGISTRY_MAX_DEPTH"),
      extensions: { code: "SCHEMA_TOO_COMPLEX" },
    });
    for (const answer of answers)
      expect(answer).toEqual({ data: { territory: { name: "Lille" } } });
    expect(events).toEqual([...Array.from({ length: 10 }, () => "answer"), "refusal"]);
    // The graph served did not change.
    expect((await page()).data?.territory?.carpoolOffers).toEqual([
      { origin: "Mairie (COMA:59355)" },
    ]);
  });
});
