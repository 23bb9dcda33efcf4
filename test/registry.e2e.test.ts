import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCarpoolProcess, type RunningProcess } from "./processes.js";
import { request, startTestHub, type GraphQLResponse, type TestHub } from "./harness.js";

let hub: TestHub;
let carpool: RunningProcess;
let adminKey: Record<string, string>;
let carpoolToken: Record<string, string>;
let carpoolSdl: string;

const PUBLISH = `mutation($name: String!, $url: String!, $sdl: String, $force: Boolean! = false) {
  publishSubgraph(name: $name, url: $url, sdl: $sdl, force: $force) { subgraph version revision changes { criticality path } } }`;
const COVOITURAGE = `query Covoiturage { territory(id: "COM:59350") { name carpoolOffers { from seats } } }`;

type Publish = { publishSubgraph: { subgraph: string; version: number; revision: number; changes: { criticality: string; path: string }[] } };
const admin = <Data>(query: string, variables: Record<string, unknown>, headers: Record<string, string>) =>
  request<Data, unknown>(`${hub.gatewayUrl}/admin/graphql`, query, variables, headers);
const publish = (variables: Record<string, unknown>, headers = carpoolToken) => admin<Publish>(PUBLISH, { name: "carpool", url: carpool.url, ...variables }, headers);
const etag = async () => (await fetch(`${hub.gatewayUrl}/supergraph.graphql`)).headers.get("etag");

async function registerPartner(id: string): Promise<Record<string, string>> {
  const { data, errors } = await admin<{ createPartner: { token: string } }>(`mutation($id: ID!) { createPartner(id: $id, name: "Coopérative ${id}") { token } }`, { id }, adminKey);
  expect(errors).toBeUndefined();
  return { authorization: `Bearer ${data!.createPartner.token}` };
}

/** Runs a query until it answers without error; returns how long that took. */
async function untilAnswered(query: string, timeoutMs = 5000): Promise<{ elapsed: number; response: GraphQLResponse<unknown> }> {
  const start = performance.now();
  for (;;) {
    const response = await hub.query(query);
    if (!response.errors) return { elapsed: performance.now() - start, response };
    if (performance.now() - start > timeoutMs) throw new Error(`still failing: ${JSON.stringify(response.errors)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  hub = await startTestHub();
  carpool = await startCarpoolProcess();
  adminKey = await hub.as("admin");
  carpoolToken = await registerPartner("covoit-coop");
  const sdl = await request<{ _service: { sdl: string } }, unknown>(carpool.url, "{ _service { sdl } }");
  carpoolSdl = sdl.data!._service.sdl;
});
afterAll(async () => {
  await carpool?.stop();
  await hub?.close();
});

describe("publishing a partner subgraph while clients query the hub", () => {
  it("serves it within a second, refuses a conflicting and a breaking version, and no client request fails", async () => {
    let running = true;
    const failures: unknown[] = [];
    let sent = 0;
    const loop = async (query: string, expectField: (data: unknown) => boolean) => {
      while (running) {
        const response = await hub.query(query);
        sent += 1;
        if (response.errors || !expectField(response.data)) failures.push(response);
      }
    };
    const clients = [
      loop(`query Territoire { territory(id: "COM:59350") { name } }`, (d) => (d as { territory: { name: string } }).territory.name === "Lille"),
      loop(`query Plateformes { platforms(first: 3) { totalCount } }`, (d) => (d as { platforms: { totalCount: number } }).platforms.totalCount > 0),
    ];
    try {
      const before = await etag();
      const published = await publish({});
      expect(published.errors).toBeUndefined();
      expect(published.data?.publishSubgraph).toMatchObject({ subgraph: "carpool", version: 1 });
      expect(published.data?.publishSubgraph.changes.map((c) => c.path)).toContain("Territory.carpoolOffers");
      const { elapsed, response } = await untilAnswered(COVOITURAGE);
      expect(elapsed).toBeLessThan(1000);
      expect(response.data).toMatchObject({ territory: { name: "Lille", carpoolOffers: [{ from: "Lille, gare Lille-Flandres", seats: 3 }, { seats: 2 }] } });
      expect(await etag()).not.toBe(before);

      // A client now relies on the partner's fields.
      clients.push(loop(COVOITURAGE, (d) => (d as { territory: { carpoolOffers: unknown[] } }).territory.carpoolOffers.length === 2));
      await new Promise((resolve) => setTimeout(resolve, 200));
      const live = await etag();

      // The partner redefines a field the directory owns: composition fails, nothing changes.
      const conflicting = carpoolSdl.replace(/(type Territory\s+@key\(fields: "id"\)\s+\{\s+id: ID!)/, "$1\n  name: Int");
      expect(conflicting).not.toBe(carpoolSdl);
      const refused = await publish({ sdl: conflicting });
      expect(refused.errors?.[0]?.extensions?.code).toBe("COMPOSITION_FAILED");
      const compositionErrors = refused.errors![0]!.extensions!.compositionErrors as { code: string; message: string; subgraphs: string[] }[];
      expect(compositionErrors.length).toBeGreaterThan(0);
      for (const error of compositionErrors) expect(error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
      expect(compositionErrors.some((error) => error.subgraphs.includes("carpool") && error.subgraphs.includes("directory"))).toBe(true);
      expect(await etag()).toBe(live);

      // The partner drops a field a client read minutes ago: refused, naming the operation.
      const breaking = carpoolSdl.replace(/\s+"""Places libres."""\s+seats: Int!/, "");
      expect(breaking).not.toBe(carpoolSdl);
      const broken = await publish({ sdl: breaking });
      expect(broken.errors?.[0]?.extensions?.code).toBe("BREAKING_CHANGE");
      expect(broken.errors![0]!.message).toContain("Covoiturage");
      expect(broken.errors![0]!.extensions!.operations).toEqual([expect.objectContaining({ name: "Covoiturage", paths: ["CarpoolOffer.seats"] })]);
      expect(await etag()).toBe(live);
    } finally {
      running = false;
      await Promise.all(clients);
    }
    expect(sent).toBeGreaterThan(20);
    expect(failures).toEqual([]);
  });
});
