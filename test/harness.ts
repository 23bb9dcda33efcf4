import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { type DocumentNode, print } from "graphql";
import postgres from "postgres";
import { expect, inject, type ProvidedContext, vi } from "vitest";
import { createApiKey, type NewApiKey } from "../gateway/access/api-keys.js";
import { type HubOptions, type RunningHub, startHub } from "../gateway/hub.js";
import { type RegistrySettings, readRegistrySettings } from "../gateway/registry/settings.js";
import { type DatabaseHandle, openDatabase } from "../lib/database.js";
import { identitySecret, signServiceToken } from "../lib/identity.js";
import { withDatabase } from "./global-setup.js";

/** What the e2e project's global setup prepared; a test file outside that project has none. */
function testDatabase(): ProvidedContext["testDatabase"] {
  const provided = inject("testDatabase");
  if (!provided)
    throw new Error(
      "The test database is prepared for end-to-end tests only: name this file *.e2e.test.ts",
    );
  return provided;
}

/** A fresh copy of the migrated, seeded test database, for one test file. */
export async function openTestDatabase(): Promise<DatabaseHandle> {
  const provided = testDatabase();
  if (provided.driver === "pglite") {
    return openDatabase({
      dataDir: "memory://",
      loadDataDir: new Blob([readFileSync(provided.dump)]),
    });
  }
  return openDatabase({ url: await createDatabase("copy", true) });
}

/**
 * The environment that points a `hub` command run in a child process at a fresh copy of the test
 * database: `DATA_DIR` (a PGlite directory written from the dump) or `DATABASE_URL`.
 */
export async function testDatabaseEnv(): Promise<Record<string, string>> {
  const provided = testDatabase();
  if (provided.driver === "postgres") return { DATABASE_URL: await createDatabase("copy", true) };
  const dataDir = mkdtempSync(join(tmpdir(), "hub-test-"));
  const database = await openDatabase({
    dataDir,
    loadDataDir: new Blob([readFileSync(provided.dump)]),
  });
  await database.close();
  return { DATA_DIR: dataDir };
}

/**
 * An empty database of its own, e.g. to play a platform's database that the hub reads (EBS):
 * a second in-memory PGlite, or a new database on the test PostgreSQL server.
 */
export async function openScratchDatabase(): Promise<DatabaseHandle> {
  const provided = testDatabase();
  if (provided.driver === "pglite") return openDatabase({ dataDir: "memory://" });
  return openDatabase({ url: await createDatabase("scratch", false) });
}

/** A new database on the test server, named after the template so that the run's teardown drops it. */
async function createDatabase(kind: string, fromTemplate: boolean): Promise<string> {
  const provided = testDatabase();
  if (provided.driver !== "postgres") throw new Error("PostgreSQL only");
  const template = new URL(provided.templateUrl).pathname.slice(1);
  const name = `${template}_${kind}_${randomBytes(4).toString("hex")}`;
  // Connected elsewhere than the template: PostgreSQL copies a database nobody is connected to.
  const admin = postgres(provided.adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}${fromTemplate ? ` template ${template}` : ""}`);
  } finally {
    await admin.end();
  }
  return withDatabase(provided.templateUrl, name);
}

/**
 * Sends a query until it answers without error, e.g. once a gateway serves a new supergraph, and
 * returns that answer. The wait is bounded only so that a test that fails does not hang.
 */
export async function untilAnswered<Data>(
  url: string,
  query: string,
): Promise<GraphQLResponse<Data>> {
  let response: GraphQLResponse<Data> | undefined;
  await vi.waitFor(
    async () => {
      response = await request<Data, unknown>(url, query);
      expect(response.errors).toBeUndefined();
    },
    { timeout: 30_000, interval: 20 },
  );
  return response!;
}

export interface GraphQLResponse<Data> {
  data?: Data | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** POSTs an operation to a GraphQL endpoint, as a client would. */
export async function request<Data, Variables>(
  url: string,
  document: TypedDocumentNode<Data, Variables> | DocumentNode | string,
  variables?: Variables,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<Data>> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({
      query: typeof document === "string" ? document : print(document),
      variables,
    }),
  });
  return (await response.json()) as GraphQLResponse<Data>;
}

/** The headers of a tool of the hub's that calls a subgraph itself: a service token of the hub's secret. */
export async function serviceHeaders(): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await signServiceToken("tests", identitySecret())}` };
}

/**
 * Sends `query` to a subgraph itself, which must answer it in one SQL statement, and returns its
 * data and which of `tables` (names as in SQL) that statement read, sorted.
 */
export async function tablesRead(
  hub: TestHub,
  subgraph: string,
  query: string,
  tables: string[],
  variables?: unknown,
): Promise<[unknown, string[]]> {
  const before = hub.database.statements.count;
  const { data, errors } = await request(
    hub.subgraphs.get(subgraph)!.url,
    query,
    variables,
    await serviceHeaders(),
  );
  expect(errors).toBeUndefined();
  expect(hub.database.statements.count - before).toBe(1);
  return [
    data,
    tables.filter((table) => hub.database.statements.last.includes(`"${table}"`)).sort(),
  ];
}

export interface TestHub extends RunningHub {
  database: DatabaseHandle;
  gatewayUrl: string;
  query<Data, Variables>(
    document: TypedDocumentNode<Data, Variables> | string,
    variables?: Variables,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<Data>>;
  /** The headers of a caller with this role (an API key issued for the test). */
  as(role: NewApiKey["role"], actsFor?: NewApiKey["actsFor"]): Promise<Record<string, string>>;
}

/**
 * The registry as tests run it. Tests count SQL statements: no background polling or usage writes
 * (a publication reaches the gateway by its notification, in-process on PGlite, and usage is
 * written before each check). Tests publish in bursts: a partner's rate has tests of its own.
 */
export function testRegistrySettings(
  overrides: Partial<RegistrySettings> = {},
  env: NodeJS.ProcessEnv = process.env,
): RegistrySettings {
  return {
    ...readRegistrySettings(env),
    publicationBurst: 1_000_000,
    pollMs: 3_600_000,
    usageFlushMs: 3_600_000,
    ...overrides,
  };
}

/** The gateway and subgraphs as real HTTP servers on free ports, over a database of their own. */
export async function startTestHub(
  options: Pick<HubOptions, "subgraphs" | "gateway"> = {},
): Promise<TestHub> {
  const database = await openTestDatabase();
  const hub = await startHub({
    database,
    gatewayPort: 0,
    subgraphPort: () => 0,
    ...options,
    gateway: {
      // Tests send bursts from one address; the rate limit has tests of its own.
      rateLimit: { perAddress: 1_000_000, perKey: 1_000_000, windowSeconds: 60 },
      registry: testRegistrySettings(),
      ...options.gateway,
    },
  });
  return {
    ...hub,
    database,
    gatewayUrl: hub.gateway.url.replace(/\/graphql$/, ""),
    query: (document, variables, headers) => request(hub.gateway.url, document, variables, headers),
    as: async (role, actsFor = null) => {
      const { key } = await createApiKey(database.db, { name: `test ${role}`, role, actsFor });
      return { authorization: `Bearer ${key}` };
    },
    close: async () => {
      await hub.close();
      await database.close();
    },
  };
}
