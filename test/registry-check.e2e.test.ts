import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { supergraphs } from "../gateway/registry/tables.js";
import { request, startTestHub, type TestHub, untilAnswered } from "./harness.js";
import { type RunningProcess, runHubCommand, startCarpoolProcess } from "./processes.js";

let hub: TestHub;
let carpool: RunningProcess;
let adminKey: Record<string, string>;
let carpoolToken: Record<string, string>;
let deliveryToken: Record<string, string>;
let carpoolSdl: string;
let dir: string;

const COVOITURAGE = `query Covoiturage { territory(id: "COM:59350") { name carpoolOffers { from seats } } }`;
const PUBLISH = `mutation($name: String!, $url: String!, $sdl: String) {
  publishSubgraph(name: $name, url: $url, sdl: $sdl) { subgraph version revision unchanged changes { criticality path } } }`;
const CHECK = `query($name: String!, $url: String, $sdl: String) { checkSubgraph(name: $name, url: $url, sdl: $sdl) {
  accepted code message compositionErrors { code message subgraphs } changes { criticality type path message }
  affectedOperations { hash name clientName clientVersion coordinates } } }`;
const CHANGELOG = `query($last: Int) { schemaChangelog(last: $last) { revision publishedAt publisher subgraph version changes { criticality type path } } }`;
const VERSIONS = `query($name: String!) { subgraphVersions(name: $name) { version live publisher publishedBy } }`;

type Publish = {
  publishSubgraph: {
    subgraph: string;
    version: number;
    revision: number;
    unchanged: boolean;
    changes: { criticality: string; path: string }[];
  };
};
type Change = { criticality: string; type: string; path: string | null };
type Entry = {
  revision: number;
  publishedAt: string;
  publisher: string | null;
  subgraph: string;
  version: number | null;
  changes: Change[];
};
type Version = { version: number; live: boolean; publisher: string | null; publishedBy: string };

const admin = <Data>(query: string, variables: Record<string, unknown>, headers = adminKey) =>
  request<Data, unknown>(`${hub.gatewayUrl}/admin/graphql`, query, variables, headers);
const publish = (variables: Record<string, unknown>, headers = carpoolToken) =>
  admin<Publish>(PUBLISH, { name: "carpool", url: carpool.url, ...variables }, headers);
const etag = async () => (await fetch(`${hub.gatewayUrl}/supergraph.graphql`)).headers.get("etag");
const changelog = async (headers: Record<string, string>, last = 20) => {
  const { data, errors } = await admin<{ schemaChangelog: Entry[] }>(CHANGELOG, { last }, headers);
  expect(errors).toBeUndefined();
  return data!.schemaChangelog;
};
const versions = async (name = "carpool", headers = carpoolToken) => {
  const { data, errors } = await admin<{ subgraphVersions: Version[] }>(
    VERSIONS,
    { name },
    headers,
  );
  expect(errors).toBeUndefined();
  return data!.subgraphVersions;
};
const hubCommand = (args: string[], token = carpoolToken) =>
  runHubCommand(["subgraph", ...args], {
    HUB_URL: hub.gatewayUrl,
    HUB_TOKEN: token.authorization!.slice("Bearer ".length),
  });
const schemaFile = (name: string, sdl: string) => {
  const file = join(dir, `${name}.graphql`);
  writeFileSync(file, sdl);
  return file;
};

async function registerPartner(id: string): Promise<Record<string, string>> {
  const { data, errors } = await admin<{ createPartner: { token: string } }>(
    `mutation($id: ID!) { createPartner(id: $id, name: "Coopérative ${id}") { token } }`,
    { id },
  );
  expect(errors).toBeUndefined();
  return { authorization: `Bearer ${data!.createPartner.token}` };
}

/** Another partner's subgraph: a root field of its own, given as SDL (never called here). */
const DELIVERY_SDL = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query {
  "Les tournées de livraison à vélo du jour."
  deliveryRounds: [String!]
}
`;

beforeAll(async () => {
  hub = await startTestHub();
  carpool = await startCarpoolProcess();
  adminKey = await hub.as("admin");
  carpoolToken = await registerPartner("covoit-coop");
  deliveryToken = await registerPartner("livraison-coop");
  const sdl = await request<{ _service: { sdl: string } }, unknown>(
    carpool.url,
    "{ _service { sdl } }",
  );
  carpoolSdl = sdl.data!._service.sdl;
  dir = mkdtempSync(join(tmpdir(), "registry-check-"));
  const published = await publish({});
  expect(published.errors).toBeUndefined();
  // Clients now read CarpoolOffer.seats: one unnamed, one a portal that names itself.
  await untilAnswered(hub.gateway.url, COVOITURAGE);
  const named = await hub.query(COVOITURAGE, undefined, {
    "graphql-client-name": "portail-lille",
    "graphql-client-version": "2.1.0",
  });
  expect(named.errors).toBeUndefined();
});
afterAll(async () => {
  await carpool?.stop();
  await hub?.close();
});

describe("hub subgraph check", () => {
  let live: string | null;
  let revisions: number;
  beforeAll(async () => {
    live = await etag();
    revisions = (await changelog(adminKey)).length;
  });

  it("accepts a good schema: exit 0, the change listed", async () => {
    const good = carpoolSdl.replace(/(\n\s+seats: Int!)/, "$1\n  note: String");
    expect(good).not.toBe(carpoolSdl);
    const accepted = await hubCommand([
      "check",
      "--name",
      "carpool",
      "--schema",
      schemaFile("good", good),
      "--json",
    ]);
    expect(accepted.stderr).toBe("");
    expect(accepted.code).toBe(0);
    const check = JSON.parse(accepted.stdout);
    expect(check).toEqual({
      accepted: true,
      code: null,
      message: null,
      compositionErrors: [],
      changes: [expect.objectContaining({ criticality: "SAFE", path: "CarpoolOffer.note" })],
      affectedOperations: [],
    });
  });

  it("refuses a conflicting schema: exit 1, every composition error", async () => {
    // A field the directory owns, redefined: composition fails.
    const conflicting = carpoolSdl.replace(
      /(type Territory\s+@key\(fields: "id"\)\s+\{\s+id: ID!)/,
      "$1\n  name: Int",
    );
    expect(conflicting).not.toBe(carpoolSdl);
    const conflict = await hubCommand([
      "check",
      "--name",
      "carpool",
      "--url",
      carpool.url,
      "--schema",
      schemaFile("conflicting", conflicting),
      "--json",
    ]);
    expect(conflict.code).toBe(1);
    const refused = JSON.parse(conflict.stdout);
    expect(refused).toMatchObject({ accepted: false, code: "COMPOSITION_FAILED" });
    expect(refused.message).toEqual(expect.any(String));
    expect(
      refused.compositionErrors.some(
        (e: { subgraphs: string[] }) =>
          e.subgraphs.includes("carpool") && e.subgraphs.includes("directory"),
      ),
    ).toBe(true);
  });

  it("refuses a breaking schema: exit 1, each change, each operation with its client", async () => {
    // seats dropped while clients read it: refused, naming the operation and the change.
    const breaking = carpoolSdl.replace(/\s+"""Places libres."""\s+seats: Int!/, "");
    expect(breaking).not.toBe(carpoolSdl);
    const breakingFile = schemaFile("breaking", breaking);
    const check = ["check", "--name", "carpool", "--schema", breakingFile];
    const [broken, human] = await Promise.all([
      hubCommand([...check, "--json"]),
      hubCommand(check),
    ]);
    expect(broken.code).toBe(1);
    const brokenCheck = JSON.parse(broken.stdout);
    expect(brokenCheck).toMatchObject({
      accepted: false,
      code: "BREAKING_CHANGE",
      compositionErrors: [],
      affectedOperations: [
        {
          hash: expect.stringMatching(/^[0-9a-f]{64}$/),
          name: "Covoiturage",
          clientName: null,
          clientVersion: null,
          coordinates: ["CarpoolOffer.seats"],
        },
        {
          hash: expect.stringMatching(/^[0-9a-f]{64}$/),
          name: "Covoiturage",
          clientName: "portail-lille",
          clientVersion: "2.1.0",
          coordinates: ["CarpoolOffer.seats"],
        },
      ],
    });
    expect(brokenCheck.changes).toContainEqual(
      expect.objectContaining({ criticality: "BREAKING", path: "CarpoolOffer.seats" }),
    );
    // The same, for a person: English, each change, each operation, the flag that overrides it.
    expect(human.code).toBe(1);
    expect(human.stdout).toContain("carpool: the publication would be refused");
    expect(human.stdout).toMatch(/^BREAKING_CHANGE: .*--force/m);
    expect(human.stdout).toMatch(/^ {2}BREAKING CarpoolOffer\.seats: /m);
    expect(human.stdout).toMatch(
      /^ {2}breaks operation Covoiturage of client \(unknown\) \(CarpoolOffer\.seats\)$/m,
    );
    expect(human.stdout).toMatch(
      /^ {2}breaks operation Covoiturage of client portail-lille 2\.1\.0 \(CarpoolOffer\.seats\)$/m,
    );
  });

  it("applies the schema policy, and exits 2 on a usage error", async () => {
    // Schema policy, through the admin API: a non-nullable field on a hub type.
    const strict = await admin<{ checkSubgraph: { accepted: boolean; code: string } }>(
      CHECK,
      {
        name: "carpool",
        sdl: carpoolSdl.replace(/carpoolOffers(\([^)]*\))?: \[CarpoolOffer!\]/, "$&!"),
      },
      carpoolToken,
    );
    expect(strict.errors).toBeUndefined();
    expect(strict.data?.checkSubgraph).toMatchObject({
      accepted: false,
      code: "PARTNER_FIELD_NOT_NULLABLE",
    });

    // Usage errors: exit 2. Another partner's subgraph: refused.
    const [noSchema, noName, other] = await Promise.all([
      hubCommand(["check", "--name", "carpool"]),
      hubCommand(["check", "--url", carpool.url]),
      hubCommand(["check", "--name", "carpool", "--url", carpool.url], deliveryToken),
    ]);
    expect(noSchema.code).toBe(2);
    expect(noSchema.stderr).toContain("--url or --schema is required");
    expect(noName.code).toBe(2);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/^FORBIDDEN: /);
  });

  it("stored nothing and left the live graph untouched", async () => {
    expect(await etag()).toBe(live);
    expect(await changelog(adminKey)).toHaveLength(revisions);
    expect(await versions()).toHaveLength(1);
  });
});

describe("an identical re-publication", () => {
  it("stores nothing and says so", async () => {
    const live = await etag();
    const [latest] = await changelog(adminKey, 1);
    const again = await publish({});
    expect(again.errors).toBeUndefined();
    expect(again.data?.publishSubgraph).toEqual({
      subgraph: "carpool",
      version: 1,
      revision: latest!.revision,
      unchanged: true,
      changes: [],
    });
    const cli = await hubCommand(["publish", "--name", "carpool", "--url", carpool.url]);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(/^carpool: unchanged \(version 1 is live/m);
    const relaid = await publish({ sdl: `# Même schéma\n${carpoolSdl.replace(/\n/g, "\n\n")}` });
    expect(relaid.data?.publishSubgraph).toMatchObject({ version: 1, unchanged: true });
    expect(await versions()).toHaveLength(1);
    expect((await changelog(adminKey, 1))[0]?.revision).toBe(latest!.revision);
    expect(await etag()).toBe(live);
  });
});

describe("versions and the changelog", () => {
  it("marks the live version, names publishers by partner, and shows each partner its own changes", async () => {
    const good = carpoolSdl.replace(/(\n\s+seats: Int!)/, "$1\n  note: String");
    const v2 = await publish({ sdl: good });
    expect(v2.errors).toBeUndefined();
    expect(v2.data?.publishSubgraph).toMatchObject({ version: 2, unchanged: false });
    const delivery = await admin<Publish>(
      PUBLISH,
      { name: "livraison", url: "http://127.0.0.1:9/graphql", sdl: DELIVERY_SDL },
      deliveryToken,
    );
    expect(delivery.errors).toBeUndefined();
    const byAdmin = await admin<Publish>(PUBLISH, {
      name: "livraison",
      url: "http://127.0.0.1:9/graphql",
      sdl: DELIVERY_SDL.replace("[String!]", "[String!]\n  deliveryCount: Int"),
    });
    expect(byAdmin.errors).toBeUndefined();

    expect(await versions()).toEqual([
      expect.objectContaining({ version: 2, live: true, publisher: "covoit-coop" }),
      expect.objectContaining({ version: 1, live: false, publisher: "covoit-coop" }),
    ]);
    expect(await versions("livraison", adminKey)).toEqual([
      expect.objectContaining({ version: 2, live: true, publisher: "admin" }),
      expect.objectContaining({ version: 1, live: false, publisher: "livraison-coop" }),
    ]);
    const cli = await hubCommand(["versions", "--name", "carpool"]);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(/^v2 {2}live {2}\S+ {2}by covoit-coop /m);
    expect(cli.stdout).toMatch(/^v1 {2}\S+ {2}by covoit-coop /m);

    // The administration sees every change, newest first.
    const all = await changelog(adminKey, 4);
    expect(all.map((e) => [e.subgraph, e.version, e.publisher])).toEqual([
      ["livraison", 2, "admin"],
      ["livraison", 1, "livraison-coop"],
      ["carpool", 2, "covoit-coop"],
      ["carpool", 1, "covoit-coop"],
    ]);
    expect(all[0]?.revision).toBe(byAdmin.data?.publishSubgraph.revision);
    expect(all[0]?.changes).toContainEqual({
      criticality: "SAFE",
      type: "FIELD_ADDED",
      path: "Query.deliveryCount",
    });
    expect(all[2]?.changes).toEqual([
      { criticality: "SAFE", type: "FIELD_ADDED", path: "CarpoolOffer.note" },
    ]);
    expect(all[3]?.changes).toContainEqual({
      criticality: "SAFE",
      type: "FIELD_ADDED",
      path: "Territory.carpoolOffers",
    });

    // Each partner its own subgraphs' entries alone.
    const own = await changelog(carpoolToken);
    expect(own.map((e) => [e.subgraph, e.version])).toEqual([
      ["carpool", 2],
      ["carpool", 1],
    ]);
    expect((await changelog(deliveryToken)).map((e) => e.subgraph)).toEqual([
      "livraison",
      "livraison",
    ]);
    const json = await hubCommand(["changelog", "--last", "1", "--json"], deliveryToken);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({ subgraph: "livraison", version: 2, publisher: "admin" }),
    ]);
    const text = await hubCommand(["changelog"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      /^supergraph \d+ {2}\S+ {2}carpool v2 {2}by covoit-coop {2}\(1 change\)$/m,
    );
    expect(text.stdout).toMatch(/^ {2}SAFE CarpoolOffer\.note: /m);
    expect(text.stdout).not.toContain("livraison");
  });

  it("diffs what a supergraph stored before the changelog with the one before it", async () => {
    const [latest, previous] = await changelog(adminKey, 2);
    // As a row stored before migration 0004 would read (the hub process caches nothing of it yet).
    await hub.database.db
      .update(supergraphs)
      .set({ changes: null })
      .where(inArray(supergraphs.id, [latest!.revision, previous!.revision]));
    const [again, before] = await changelog(adminKey, 2);
    expect(again?.changes).toEqual(latest?.changes);
    expect(before?.changes).toEqual(previous?.changes);
  });

  it("names --force when it refuses to remove what clients use", async () => {
    const refused = await hubCommand(["remove", "--name", "carpool"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^BREAKING_CHANGE: .*use --force/m);
    expect(refused.stderr).toContain("breaks operation Covoiturage");
  });
});
