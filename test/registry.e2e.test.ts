import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { request, startTestHub, type TestHub, untilAnswered } from "./harness.js";
import { type RunningProcess, runHubCommand, startCarpoolProcess } from "./processes.js";

let hub: TestHub;
let carpool: RunningProcess;
let adminKey: Record<string, string>;
let carpoolToken: Record<string, string>;
let carpoolSdl: string;

const PUBLISH = `mutation($name: String!, $url: String!, $sdl: String, $force: Boolean! = false) {
  publishSubgraph(name: $name, url: $url, sdl: $sdl, force: $force) { subgraph version revision changes { criticality type path } } }`;
const COVOITURAGE = `query Covoiturage { territory(id: "COM:59350") { name carpoolOffers { from seats } } }`;

type Publish = {
  publishSubgraph: {
    subgraph: string;
    version: number;
    revision: number;
    changes: { criticality: string; type: string; path: string }[];
  };
};
const admin = <Data>(
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string>,
) => request<Data, unknown>(`${hub.gatewayUrl}/admin/graphql`, query, variables, headers);
const publish = (variables: Record<string, unknown>, headers = carpoolToken) =>
  admin<Publish>(PUBLISH, { name: "carpool", url: carpool.url, ...variables }, headers);
const etag = async () => (await fetch(`${hub.gatewayUrl}/supergraph.graphql`)).headers.get("etag");

async function registerPartner(id: string): Promise<Record<string, string>> {
  const { data, errors } = await admin<{ createPartner: { token: string } }>(
    `mutation($id: ID!) { createPartner(id: $id, name: "Coopérative ${id}") { token } }`,
    { id },
    adminKey,
  );
  expect(errors).toBeUndefined();
  return { authorization: `Bearer ${data!.createPartner.token}` };
}

beforeAll(async () => {
  hub = await startTestHub();
  carpool = await startCarpoolProcess();
  adminKey = await hub.as("admin");
  carpoolToken = await registerPartner("covoit-coop");
  const sdl = await request<{ _service: { sdl: string } }, unknown>(
    carpool.url,
    "{ _service { sdl } }",
  );
  carpoolSdl = sdl.data!._service.sdl;
});
afterAll(async () => {
  await carpool?.stop();
  await hub?.close();
});

describe("publishing a partner subgraph while clients query the hub", () => {
  it("serves it, refuses a conflicting and a breaking version, and no client request fails", async () => {
    let running = true;
    const failures: unknown[] = [];
    let sent = 0;
    const answered = new Map<string, number>();
    const loop = async (query: string, expectField: (data: unknown) => boolean) => {
      while (running) {
        const response = await hub.query(query);
        sent += 1;
        answered.set(query, (answered.get(query) ?? 0) + 1);
        if (response.errors || !expectField(response.data)) failures.push(response);
      }
    };
    const clients = [
      loop(
        `query Territoire { territory(id: "COM:59350") { name } }`,
        (d) => (d as { territory: { name: string } }).territory.name === "Lille",
      ),
      loop(
        `query Plateformes { platforms(first: 3) { totalCount } }`,
        (d) => (d as { platforms: { totalCount: number } }).platforms.totalCount > 0,
      ),
    ];
    try {
      const before = await etag();
      const published = await publish({});
      expect(published.errors).toBeUndefined();
      expect(published.data?.publishSubgraph).toMatchObject({ subgraph: "carpool", version: 1 });
      expect(published.data?.publishSubgraph.changes.map((c) => c.path)).toContain(
        "Territory.carpoolOffers",
      );
      const response = await untilAnswered(hub.gateway.url, COVOITURAGE);
      expect(response.data).toMatchObject({
        territory: {
          name: "Lille",
          carpoolOffers: [{ from: "Lille, gare Lille-Flandres", seats: 3 }, { seats: 2 }],
        },
      });
      expect(await etag()).not.toBe(before);

      // A client now relies on the partner's fields.
      clients.push(
        loop(
          COVOITURAGE,
          (d) =>
            (d as { territory: { carpoolOffers: unknown[] } }).territory.carpoolOffers.length === 2,
        ),
      );
      await vi.waitFor(() => expect(answered.get(COVOITURAGE)).toBeGreaterThan(0));
      const live = await etag();

      // The partner redefines a field the directory owns: composition fails, nothing changes.
      const conflicting = carpoolSdl.replace(
        /(type Territory\s+@key\(fields: "id"\)\s+\{\s+id: ID!)/,
        "$1\n  name: Int",
      );
      expect(conflicting).not.toBe(carpoolSdl);
      const refused = await publish({ sdl: conflicting });
      expect(refused.errors?.[0]?.extensions?.code).toBe("COMPOSITION_FAILED");
      const compositionErrors = refused.errors![0]!.extensions!.compositionErrors as {
        code: string;
        message: string;
        subgraphs: string[];
      }[];
      expect(compositionErrors.length).toBeGreaterThan(0);
      for (const error of compositionErrors)
        expect(error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
      expect(
        compositionErrors.some(
          (error) => error.subgraphs.includes("carpool") && error.subgraphs.includes("directory"),
        ),
      ).toBe(true);
      expect(await etag()).toBe(live);

      // The partner drops a field a client read minutes ago: refused, naming the operation.
      const breaking = carpoolSdl.replace(/\s+"""Places libres."""\s+seats: Int!/, "");
      expect(breaking).not.toBe(carpoolSdl);
      const broken = await publish({ sdl: breaking });
      expect(broken.errors?.[0]?.extensions?.code).toBe("BREAKING_CHANGE");
      expect(broken.errors![0]!.message).toContain("Covoiturage");
      expect(broken.errors![0]!.extensions!.operations).toEqual([
        expect.objectContaining({ name: "Covoiturage", paths: ["CarpoolOffer.seats"] }),
      ]);
      expect(await etag()).toBe(live);
    } finally {
      running = false;
      await Promise.all(clients);
    }
    expect(sent).toBeGreaterThan(20);
    expect(failures).toEqual([]);
  });
});

describe("who may publish what", () => {
  it("keeps each partner to its own subgraphs, and everyone off the hub's own", async () => {
    const other = await registerPartner("livraison-coop");
    const taken = await publish({}, other);
    expect(taken.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    for (const name of ["directory", "exchanges", "bookings", "engagements"]) {
      for (const headers of [carpoolToken, adminKey]) {
        const { errors } = await publish({ name }, headers);
        expect(errors?.[0]?.extensions?.code, name).toBe("RESERVED_SUBGRAPH");
      }
    }
    // A partner key for no registered partner, a role that is not a partner's, no key at all.
    expect(
      (
        await publish(
          { name: "velo" },
          await hub.as("partner", { kind: "partner", id: "inconnue" }),
        )
      ).errors?.[0]?.extensions?.code,
    ).toBe("FORBIDDEN");
    expect(
      (await publish({ name: "velo" }, await hub.as("analyst"))).errors?.[0]?.extensions?.code,
    ).toBe("FORBIDDEN");
    expect((await publish({ name: "velo" }, {})).errors?.[0]?.extensions?.code).toBe(
      "UNAUTHENTICATED",
    );
    // Only the administration registers partners and sees them all.
    const { errors } = await admin(
      `mutation { createPartner(id: "intruse", name: "Intruse") { token } }`,
      {},
      carpoolToken,
    );
    expect(errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const own = await admin<{ subgraphs: { name: string }[] }>(`{ subgraphs { name } }`, {}, other);
    expect(own.data?.subgraphs).toEqual([]);
    const all = await admin<{ subgraphs: { name: string; owner: string }[] }>(
      `{ subgraphs { name owner } }`,
      {},
      adminKey,
    );
    expect(all.data?.subgraphs).toEqual([{ name: "carpool", owner: "covoit-coop" }]);
  });

  it("lets no one take over or break the hub's own fields, even forced", async () => {
    // @override would have the partner answer Territory.name in the directory's place.
    const takeover = carpoolSdl.replace(
      /(type Territory\s+@key\(fields: "id"\)\s+\{\s+id: ID!)/,
      '$1\n  name: String! @federation__override(from: "directory")',
    );
    expect(takeover).not.toBe(carpoolSdl);
    expect(
      (await publish({ sdl: takeover, force: true }, adminKey)).errors?.[0]?.extensions?.code,
    ).toBe("HUB_SCHEMA_PROTECTED");
    // An input-only enum composes as the intersection of its definitions: one value hides the others.
    const shrink = `${carpoolSdl}\nenum EngagementGrouping { STATUS }\nextend type Territory { engagementKinds(by: EngagementGrouping): Int }\n`;
    const shrunk = await publish({ sdl: shrink, force: true });
    expect(shrunk.errors?.[0]?.extensions?.code).toBe("HUB_SCHEMA_PROTECTED");
    expect(shrunk.errors?.[0]?.message).toContain("EngagementGrouping.THEME");
  });

  it("is never part of the public graph", async () => {
    const { errors } = await hub.query(`{ subgraphs { name } }`);
    expect(errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(await (await fetch(`${hub.gatewayUrl}/supergraph.graphql`)).text()).not.toMatch(
      /publishSubgraph|RegistrySubgraph/,
    );
  });
});

describe("routing URLs", () => {
  it("refuses other schemes, hosts outside the allow-list, link-local and metadata addresses", async () => {
    for (const url of [
      "file:///etc/passwd",
      "ftp://127.0.0.1/",
      "http://169.254.169.254/latest/meta-data/",
      "http://[fe80::1]:4000/graphql",
      "http://192.0.2.10/graphql",
    ]) {
      const { errors } = await publish({ url }, carpoolToken);
      expect(errors?.[0]?.extensions?.code, url).toBe("ROUTING_URL_REFUSED");
    }
  });

  it("reports a URL that serves no subgraph", async () => {
    const { errors } = await publish(
      { name: "ailleurs", url: `${hub.gatewayUrl}/health` },
      carpoolToken,
    );
    expect(errors?.[0]?.extensions?.code).toBe("SDL_FETCH_FAILED");
  });
});

describe("rollback and removal", () => {
  it("serves any earlier version again, and takes a subgraph out, after the same checks", async () => {
    // Version 2 stops declaring priceCents, which no client has read: breaking, but accepted.
    const withoutPrice = carpoolSdl.replace(
      /\s+"""Participation suggérée, en centimes d'euro."""\s+priceCents: Int!/,
      "",
    );
    expect(withoutPrice).not.toBe(carpoolSdl);
    const v2 = await publish({ sdl: withoutPrice });
    expect(v2.errors).toBeUndefined();
    expect(v2.data?.publishSubgraph.version).toBe(2);
    expect(v2.data?.publishSubgraph.changes).toContainEqual({
      criticality: "BREAKING",
      type: "FIELD_REMOVED",
      path: "CarpoolOffer.priceCents",
    });
    const PRICE = `query Prix { territory(id: "COM:59350") { carpoolOffers { priceCents } } }`;
    expect((await hub.query(PRICE)).errors?.[0]?.extensions?.code).toBe(
      "GRAPHQL_VALIDATION_FAILED",
    );

    const ROLLBACK = `mutation($version: Int!, $force: Boolean!) { rollbackSubgraph(name: "carpool", version: $version, force: $force) { version } }`;
    const back = await admin<{ rollbackSubgraph: { version: number } }>(
      ROLLBACK,
      { version: 1, force: false },
      carpoolToken,
    );
    expect(back.errors).toBeUndefined();
    expect(back.data?.rollbackSubgraph.version).toBe(1);
    await untilAnswered(hub.gateway.url, PRICE);

    // Now a client reads priceCents: going back to version 2 is refused, unless forced.
    const refused = await admin(ROLLBACK, { version: 2, force: false }, carpoolToken);
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: "BREAKING_CHANGE",
      operations: [{ name: "Prix", paths: ["CarpoolOffer.priceCents"] }],
    });
    const forced = await admin<{ rollbackSubgraph: { version: number } }>(
      ROLLBACK,
      { version: 2, force: true },
      carpoolToken,
    );
    expect(forced.data?.rollbackSubgraph.version).toBe(2);
    expect(
      (await admin(ROLLBACK, { version: 9, force: false }, carpoolToken)).errors?.[0]?.extensions
        ?.code,
    ).toBe("NOT_FOUND");

    const versions = await admin<{ subgraphVersions: { version: number; publishedBy: string }[] }>(
      `{ subgraphVersions(name: "carpool") { version publishedBy } }`,
      {},
      carpoolToken,
    );
    expect(versions.data?.subgraphVersions.map((v) => v.version)).toEqual([2, 1]);
    expect(versions.data?.subgraphVersions[0]?.publishedBy).toMatch(/^key:/);

    const REMOVE = `mutation($force: Boolean!) { removeSubgraph(name: "carpool", force: $force) { version } }`;
    const kept = await admin(REMOVE, { force: false }, carpoolToken);
    expect(kept.errors?.[0]?.extensions?.code).toBe("BREAKING_CHANGE");
    expect(kept.errors?.[0]?.message).toContain("Covoiturage");
    expect((await admin(REMOVE, { force: true }, carpoolToken)).errors).toBeUndefined();
    expect((await hub.query(COVOITURAGE)).errors?.[0]?.extensions?.code).toBe(
      "GRAPHQL_VALIDATION_FAILED",
    );
    const listed = async () =>
      (
        await admin<{
          subgraphs: { status: string; version: number | null; health: string | null }[];
        }>(`{ subgraphs { status version health } }`, {}, carpoolToken)
      ).data?.subgraphs;
    expect(await listed()).toEqual([{ status: "removed", version: null, health: null }]);
    expect((await admin(REMOVE, { force: true }, carpoolToken)).errors?.[0]?.extensions?.code).toBe(
      "NOT_FOUND",
    );
    const history = await admin<{ supergraphHistory: { action: string }[] }>(
      `{ supergraphHistory(last: 4) { action } }`,
      {},
      adminKey,
    );
    expect(history.data?.supergraphHistory.map((s) => s.action)).toEqual([
      "remove carpool",
      "rollback carpool to v2",
      "rollback carpool to v1",
      "publish carpool v2",
    ]);

    // Published again, as it was: version 3.
    expect((await publish({})).data?.publishSubgraph.version).toBe(3);
    await untilAnswered(hub.gateway.url, COVOITURAGE);
    expect(await listed()).toEqual([{ status: "active", version: 3, health: "HEALTHY" }]);
  });
});

describe("a partner subgraph that goes down", () => {
  const health = async () =>
    (await admin<{ subgraphs: { health: string }[] }>(`{ subgraphs { health } }`, {}, carpoolToken))
      .data?.subgraphs[0]?.health;

  it("loses only its own fields, is shown unhealthy, and is back by itself when it is", async () => {
    const port = new URL(carpool.url).port;
    await carpool.stop();
    const down = await hub.query<{ territory: { name: string; carpoolOffers: unknown } }, unknown>(
      `{ territory(id: "COM:59350") { name carpoolOffers { to } } }`,
    );
    expect(down.data?.territory.name).toBe("Lille");
    expect(down.errors?.[0]?.extensions).toMatchObject({
      code: "SUBGRAPH_UNAVAILABLE",
      serviceName: "carpool",
    });
    expect(await health()).toBe("UNHEALTHY");

    carpool = await startCarpoolProcess(Number(port));
    const up = await hub.query<{ territory: { carpoolOffers: { to: string }[] } }, unknown>(
      `{ territory(id: "COM:59350") { carpoolOffers { to departsAt } } }`,
    );
    expect(up.errors).toBeUndefined();
    expect(up.data?.territory.carpoolOffers[0]?.to).toBe("Arras");
    expect(await health()).toBe("HEALTHY");
  });
});

describe("GET /supergraph.graphql", () => {
  it("serves the live supergraph with an ETag, and 304 while it has not changed", async () => {
    const first = await fetch(`${hub.gatewayUrl}/supergraph.graphql`);
    const tag = first.headers.get("etag");
    expect(tag).toMatch(/^"[0-9a-f]{64}"$/);
    expect(await first.text()).toContain("CARPOOL");
    const again = await fetch(`${hub.gatewayUrl}/supergraph.graphql`, {
      headers: { "if-none-match": tag! },
    });
    expect(again.status).toBe(304);
    const stale = await fetch(`${hub.gatewayUrl}/supergraph.graphql`, {
      headers: { "if-none-match": '"autre"' },
    });
    expect(stale.status).toBe(200);
  });
});

describe("the hub command", () => {
  it("publishes from a schema file, prints every composition error of a refusal, and lists subgraphs with their health", async () => {
    const env = {
      HUB_URL: hub.gatewayUrl,
      HUB_TOKEN: carpoolToken.authorization!.slice("Bearer ".length),
    };
    const file = join(mkdtempSync(join(tmpdir(), "carpool-")), "carpool.graphql");
    writeFileSync(
      file,
      carpoolSdl.replace(
        /(type Territory\s+@key\(fields: "id"\)\s+\{\s+id: ID!)/,
        "$1\n  name: Int",
      ),
    );
    const refused = await runHubCommand(
      ["subgraph", "publish", "--name", "carpool", "--url", carpool.url, "--schema", file],
      env,
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^COMPOSITION_FAILED: /);
    expect(refused.stderr).toMatch(/\[[A-Z_]+\] \(.*carpool.*\) /);

    const list = await runHubCommand(["subgraph", "list"], env);
    expect(list.stderr).toBe("");
    expect(list.stdout).toMatch(
      new RegExp(
        `^carpool  HEALTHY  v3  ${carpool.url.replace(/[/.]/g, "\\$&")}  owner covoit-coop`,
        "m",
      ),
    );
  });
});
