import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { request, startTestHub, type TestHub } from "./harness.js";
import { carpoolSdl, type RunningPartner, startPartner } from "./partner.js";
import { type RunningProcess, runHubCommand, startSecondGateway } from "./processes.js";

/**
 * App deployments (a portal's trusted documents), client awareness and field usage, on a hub whose
 * anonymous clients may send trusted documents only. The manifest is docs/portals.md's own.
 */
const MANIFEST_FILE = "examples/portal/generated/persisted-documents.json";
const manifest = JSON.parse(readFileSync(MANIFEST_FILE, "utf8")) as Record<string, string>;
const documentOf = (name: string) => {
  const [key, body] = Object.entries(manifest).find(([, body]) => body.includes(`query ${name}(`))!;
  return { hash: key.replace(/^sha256:/, ""), body };
};
const COMMUNE = documentOf("PortailCommune");
const LOMME = { id: "COMA:59355" };

/** PGlite serves one process: a second gateway process is shown on PostgreSQL only. */
const postgres = Boolean(process.env.DATABASE_URL);

let hub: TestHub;
let second: RunningProcess | undefined;
let partner: RunningPartner;
let adminKey: Record<string, string>;
let carpoolToken: Record<string, string>;
let portalToken: Record<string, string>;

type Response = Awaited<ReturnType<typeof request>>;
const admin = <Data>(
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string>,
) => request<Data, unknown>(`${hub.gatewayUrl}/admin/graphql`, query, variables, headers);

/** An anonymous client sending a persisted query by its hash alone. */
async function byHash(
  hash: string,
  variables: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  const response = await fetch(`${hub.gatewayUrl}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({
      variables,
      extensions: { persistedQuery: { version: 1, sha256Hash: hash } },
    }),
  });
  return (await response.json()) as Response;
}

const hubEnv = (token: Record<string, string>) => ({
  HUB_URL: hub.gatewayUrl,
  HUB_TOKEN: token.authorization!.slice("Bearer ".length),
});

async function registerPartner(id: string): Promise<Record<string, string>> {
  const { data, errors } = await admin<{ createPartner: { token: string } }>(
    `mutation($id: ID!) { createPartner(id: $id, name: "Partenaire ${id}") { token } }`,
    { id },
    adminKey,
  );
  expect(errors).toBeUndefined();
  return { authorization: `Bearer ${data!.createPartner.token}` };
}

const PUBLISH_SUBGRAPH = `mutation($url: String!, $sdl: String) {
  publishSubgraph(name: "carpool", url: $url, sdl: $sdl) { version } }`;
const PUBLISH_APP = `mutation($name: String!, $version: String!, $manifest: String!) {
  publishApp(name: $name, version: $version, manifest: $manifest) { name version active owner operations { hash name } } }`;
const FIELD_USAGE = `query($coordinate: String!) { fieldUsage(coordinate: $coordinate, days: 7) {
  coordinate total clients { clientName clientVersion count } operations { hash name clientName count } daily { day clientName count } } }`;
type FieldUsage = {
  fieldUsage: {
    total: number;
    clients: { clientName: string | null; clientVersion: string | null; count: number }[];
    operations: { name: string | null; clientName: string | null; count: number }[];
    daily: { day: string; clientName: string | null; count: number }[];
  };
};

beforeAll(async () => {
  // The subgraphs answer only gateways that sign with their secret: both gateways share it.
  if (postgres) process.env.HUB_IDENTITY_SECRET ||= randomBytes(32).toString("hex");
  hub = await startTestHub({
    gateway: {
      trustedDocuments: {
        mode: "anonymous",
        file: "operations/generated/persisted-documents.json",
      },
    },
  });
  partner = await startPartner();
  adminKey = await hub.as("admin");
  carpoolToken = await registerPartner("covoit-coop");
  portalToken = await registerPartner("portail-mel");
  const published = await admin(
    PUBLISH_SUBGRAPH,
    { url: partner.url, sdl: carpoolSdl() },
    carpoolToken,
  );
  expect(published.errors).toBeUndefined();
  if (postgres) {
    second = await startSecondGateway(hub, { TRUSTED_DOCUMENTS: "anonymous" });
  }
});
afterAll(async () => {
  await second?.stop();
  await partner?.close();
  await hub?.close();
});

describe("an app deployment", () => {
  it("is published with `hub app publish`, after which anonymous clients may send its operations", async () => {
    expect((await byHash(COMMUNE.hash, LOMME)).errors?.[0]?.extensions?.code).toBe(
      "PERSISTED_QUERY_NOT_FOUND",
    );
    expect((await hub.query(COMMUNE.body, LOMME)).errors?.[0]?.extensions?.code).toBe(
      "OPERATION_NOT_TRUSTED",
    );
    const published = await runHubCommand(
      [
        "app",
        "publish",
        "--name",
        "portail-mel",
        "--version",
        "1.0.0",
        "--manifest",
        MANIFEST_FILE,
      ],
      hubEnv(portalToken),
    );
    expect(published.stderr).toBe("");
    expect(published.code).toBe(0);
    expect(published.stdout).toContain("portail-mel 1.0.0: published, 2 operation(s)");

    const answered = await byHash(COMMUNE.hash, LOMME);
    expect(answered.errors).toBeUndefined();
    expect(answered.data).toMatchObject({ territory: { name: "Lomme" } });
    // Sent in full too, whatever its layout.
    const full = await hub.query(COMMUNE.body.replaceAll(" { ", " {\n  "), LOMME);
    expect(full.errors).toBeUndefined();

    const list = await runHubCommand(["app", "list", "--json"], hubEnv(portalToken));
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({
        name: "portail-mel",
        version: "1.0.0",
        active: true,
        owner: "portail-mel",
        operations: expect.arrayContaining([
          { hash: COMMUNE.hash, name: "PortailCommune" },
          expect.objectContaining({ name: "PortailPlateformes" }),
        ]),
      }),
    ]);
    // Another partner neither sees it nor publishes over it.
    const others = await admin<{ appDeployments: unknown[] }>(
      "{ appDeployments { name } }",
      {},
      carpoolToken,
    );
    expect(others.data?.appDeployments).toEqual([]);
    const taken = await admin(
      PUBLISH_APP,
      { name: "portail-mel", version: "2.0.0", manifest: JSON.stringify(manifest) },
      carpoolToken,
    );
    expect(taken.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("is refused when a hash is not its document's or an operation does not validate, naming each", async () => {
    const wrongHash = await admin(
      PUBLISH_APP,
      {
        name: "portail-mel",
        version: "1.0.1",
        manifest: JSON.stringify({ [`sha256:${"0".repeat(64)}`]: COMMUNE.body }),
      },
      portalToken,
    );
    expect(wrongHash.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      operations: [{ hash: "0".repeat(64) }],
    });
    const invalidBody = `query Inconnu { territory(id: "COM:59350") { nomInconnu } }`;
    const invalid = await admin(
      PUBLISH_APP,
      {
        name: "portail-mel",
        version: "1.0.1",
        manifest: JSON.stringify({
          ...manifest,
          [createHash("sha256").update(invalidBody).digest("hex")]: invalidBody,
        }),
      },
      portalToken,
    );
    expect(invalid.errors?.[0]?.extensions).toMatchObject({
      code: "GRAPHQL_VALIDATION_FAILED",
      operations: [{ name: "Inconnu", errors: [expect.stringContaining("nomInconnu")] }],
    });
    const cli = await runHubCommand(
      [
        "app",
        "publish",
        "--name",
        "portail-mel",
        "--version",
        "bad version",
        "--manifest",
        MANIFEST_FILE,
      ],
      hubEnv(portalToken),
    );
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/^--version: /);
    const invalidFile = join(mkdtempSync(join(tmpdir(), "portal-")), "persisted-documents.json");
    writeFileSync(
      invalidFile,
      JSON.stringify({ [createHash("sha256").update(invalidBody).digest("hex")]: invalidBody }),
    );
    const refused = await runHubCommand(
      ["app", "publish", "--name", "portail-mel", "--version", "1.0.2", "--manifest", invalidFile],
      hubEnv(portalToken),
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^GRAPHQL_VALIDATION_FAILED: operations of the manifest/);
    expect(refused.stderr).toMatch(/^ {2}operation Inconnu: .*nomInconnu/m);
  });
});

describe("client awareness and field usage", () => {
  it("records the client named by the headers, or by the app deployment, with what each operation read", async () => {
    const lille = { "graphql-client-name": "portail-lille", "graphql-client-version": "2.1" };
    const mobile = { "apollographql-client-name": "appli-mobile" };
    const analyst = await hub.as("analyst");
    const query = `query Carte { territory(id: "COM:59350") { name carpoolOffers { destination } } }`;
    expect((await hub.query(query, undefined, { ...analyst, ...lille })).errors).toBeUndefined();
    expect((await hub.query(query, undefined, { ...analyst, ...lille })).errors).toBeUndefined();
    expect((await hub.query(query, undefined, { ...analyst, ...mobile })).errors).toBeUndefined();
    expect((await byHash(COMMUNE.hash, LOMME)).errors).toBeUndefined();
    await hub.gateway.registry.usage.flush();

    const { data, errors } = await admin<FieldUsage>(
      FIELD_USAGE,
      { coordinate: "Territory.name" },
      adminKey,
    );
    expect(errors).toBeUndefined();
    const clients = data!.fieldUsage.clients;
    expect(clients).toContainEqual({ clientName: "portail-lille", clientVersion: "2.1", count: 2 });
    expect(clients).toContainEqual({ clientName: "appli-mobile", clientVersion: null, count: 1 });
    expect(clients).toContainEqual(
      expect.objectContaining({ clientName: "portail-mel", clientVersion: "1.0.0" }),
    );
    expect(data!.fieldUsage.operations).toContainEqual(
      expect.objectContaining({ name: "Carte", clientName: "portail-lille", count: 2 }),
    );
    const today = new Date().toISOString().slice(0, 10);
    expect(data!.fieldUsage.daily).toContainEqual({
      day: today,
      clientName: "portail-lille",
      count: 2,
    });

    // The whole type, through the command line.
    const cli = await runHubCommand(
      ["usage", "field", "CarpoolOffer", "--days", "7", "--json"],
      hubEnv({ authorization: adminKey.authorization! }),
    );
    expect(cli.code).toBe(0);
    expect(JSON.parse(cli.stdout)).toMatchObject({ coordinate: "CarpoolOffer", total: 3 });
  });

  it("shows a partner the usage of its own subgraphs' fields only", async () => {
    const own = await admin<FieldUsage>(
      FIELD_USAGE,
      { coordinate: "Territory.carpoolOffers" },
      carpoolToken,
    );
    expect(own.errors).toBeUndefined();
    expect(own.data!.fieldUsage.total).toBe(3);
    // Territory is the hub's: the partner sees its own fields of it, not the others.
    const type = await admin<FieldUsage>(FIELD_USAGE, { coordinate: "Territory" }, carpoolToken);
    expect(type.data!.fieldUsage.total).toBe(3);
    for (const [coordinate, token] of [
      ["Territory.name", carpoolToken],
      ["Query.territory", carpoolToken],
      ["Territory.carpoolOffers", portalToken],
    ] as const) {
      const refused = await admin(FIELD_USAGE, { coordinate }, token);
      expect(refused.errors?.[0]?.extensions?.code, coordinate).toBe("FORBIDDEN");
    }

    const unused = await runHubCommand(
      ["usage", "unused", "--subgraph", "carpool", "--json"],
      hubEnv(carpoolToken),
    );
    expect(unused.code).toBe(0);
    expect(JSON.parse(unused.stdout)).toEqual(["CarpoolOffer.origin"]);
    const hubs = await admin(`{ unusedFields(subgraph: "directory") }`, {}, carpoolToken);
    expect(hubs.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

describe("breaking changes and retirement", () => {
  it("refuses a breaking change to what an active deployment reads before any traffic, and lets it through once retired", async () => {
    const body = `query Depart($id: ID!) { territory(id: $id) { carpoolOffers { origin } } }`;
    const hash = createHash("sha256").update(body).digest("hex");
    const deployed = await admin(
      PUBLISH_APP,
      { name: "portail-covoit", version: "1", manifest: JSON.stringify({ [hash]: body }) },
      adminKey,
    );
    expect(deployed.errors).toBeUndefined();
    expect(deployed.data).toMatchObject({ publishApp: { owner: null, active: true } });
    // No client ever sent it: CarpoolOffer.origin is still unused traffic-wise, yet counts as used.
    const unused = await admin<{ unusedFields: string[] }>(
      `{ unusedFields(subgraph: "carpool") }`,
      {},
      carpoolToken,
    );
    expect(unused.data?.unusedFields).toEqual([]);

    const withoutOrigin = carpoolSdl().replace(/\s+"Lieu de départ."\s+origin: String!/, "");
    expect(withoutOrigin).not.toBe(carpoolSdl());
    // The partner's check in CI says so first, naming the portal.
    const checked = await admin<{
      checkSubgraph: { accepted: boolean; code: string; affectedOperations: unknown[] };
    }>(
      `query($url: String!, $sdl: String!) { checkSubgraph(name: "carpool", url: $url, sdl: $sdl) {
        accepted code affectedOperations { hash name clientName clientVersion coordinates } } }`,
      { url: partner.url, sdl: withoutOrigin },
      carpoolToken,
    );
    expect(checked.data?.checkSubgraph).toEqual({
      accepted: false,
      code: "BREAKING_CHANGE",
      affectedOperations: [
        {
          hash,
          name: "Depart",
          clientName: "portail-covoit",
          clientVersion: "1",
          coordinates: ["CarpoolOffer.origin"],
        },
      ],
    });
    const refused = await admin(
      PUBLISH_SUBGRAPH,
      { url: partner.url, sdl: withoutOrigin },
      carpoolToken,
    );
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: "BREAKING_CHANGE",
      operations: [{ name: "Depart", clientName: "portail-covoit", clientVersion: "1" }],
    });

    const retired = await runHubCommand(
      ["app", "retire", "--name", "portail-covoit", "--version", "1"],
      hubEnv({ authorization: adminKey.authorization! }),
    );
    expect(retired.code).toBe(0);
    const accepted = await admin<{ publishSubgraph: { version: number } }>(
      PUBLISH_SUBGRAPH,
      { url: partner.url, sdl: withoutOrigin },
      carpoolToken,
    );
    expect(accepted.errors).toBeUndefined();
  });

  it("refuses a retired deployment's operations to anonymous clients again", async () => {
    const retired = await runHubCommand(
      ["app", "retire", "--name", "portail-mel", "--version", "1.0.0"],
      hubEnv(portalToken),
    );
    expect(retired.stderr).toBe("");
    expect(retired.stdout).toContain("portail-mel 1.0.0: retired");
    expect((await byHash(COMMUNE.hash, LOMME)).errors?.[0]?.extensions?.code).toBe(
      "PERSISTED_QUERY_NOT_FOUND",
    );
    // Its answer, kept by the response cache when it was trusted, is not served any more.
    expect((await hub.query(COMMUNE.body, LOMME)).errors?.[0]?.extensions?.code).toBe(
      "OPERATION_NOT_TRUSTED",
    );
    const list = await admin<{ appDeployments: { name: string; active: boolean }[] }>(
      "{ appDeployments(includeRetired: true) { name version active retiredAt } }",
      {},
      adminKey,
    );
    expect(list.data?.appDeployments).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: "portail-mel", active: false }),
        expect.objectContaining({ name: "portail-covoit", active: false }),
      ]),
    );
  });
});

describe.skipIf(!postgres)("a second gateway process on the same PostgreSQL", () => {
  it("accepts a deployment published through the first one, and refuses it once retired, notified", async () => {
    const body = `query Voisine { territory(id: "COM:59350") { name } }`;
    const hash = createHash("sha256").update(body).digest("hex");
    const anonymous = async () => {
      const response = await fetch(second!.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }),
      });
      return (await response.json()) as Response;
    };
    expect((await anonymous()).errors?.[0]?.extensions?.code).toBe("PERSISTED_QUERY_NOT_FOUND");
    const published = await admin(
      PUBLISH_APP,
      { name: "portail-voisin", version: "1", manifest: JSON.stringify({ [hash]: body }) },
      adminKey,
    );
    expect(published.errors).toBeUndefined();
    // Polling is an hour away: only the notification brings it.
    await vi.waitFor(
      async () => expect((await anonymous()).data).toEqual({ territory: { name: "Lille" } }),
      {
        timeout: 30_000,
        interval: 50,
      },
    );
    const retired = await admin(
      `mutation { retireApp(name: "portail-voisin", version: "1") { active } }`,
      {},
      adminKey,
    );
    expect(retired.data).toEqual({ retireApp: { active: false } });
    await vi.waitFor(
      async () =>
        expect((await anonymous()).errors?.[0]?.extensions?.code).toBe("PERSISTED_QUERY_NOT_FOUND"),
      { timeout: 30_000, interval: 50 },
    );
  });
});
