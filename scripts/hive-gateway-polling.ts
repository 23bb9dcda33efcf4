/**
 * Shows a standard router following the registry: Hive Gateway (MIT) polls the hub's
 * `/supergraph.graphql` (ETag / If-None-Match), and serves a partner's field once it is published.
 *
 *   npx tsx scripts/hive-gateway-polling.ts
 *
 * Hive Gateway is installed into .bench/hive-gateway (about 500 MB), never as a dependency of the
 * hub. The hub runs here on a temporary PGlite directory (the territory import takes ~15 s); the
 * example partner (examples/carpool) runs as its own process.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApiKey } from "../gateway/access/api-keys.js";
import { hubSchemas, prepareDatabase, startHub } from "../gateway/hub.js";
import { openDatabase } from "../lib/database.js";
import { type RunningProcess, startCarpoolProcess, startProcess } from "../test/processes.js";

const HIVE_VERSION = "2.15.1";
const HIVE_DIR = ".bench/hive-gateway";
const HIVE_BIN = join(HIVE_DIR, "node_modules/.bin/hive-gateway");
const HIVE_PORT = 4650;
const QUERY = `{ territory(id: "COM:59350") { name carpoolOffers { from to } } }`;

const post = async (url: string, query: string, headers: Record<string, string> = {}) =>
  (
    await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ query }),
    })
  ).json() as Promise<{
    data?: unknown;
    errors?: { message: string }[];
  }>;

if (!existsSync(HIVE_BIN)) {
  console.log(
    `installing @graphql-hive/gateway@${HIVE_VERSION} into ${HIVE_DIR} (outside the hub's dependencies)…`,
  );
  mkdirSync(HIVE_DIR, { recursive: true });
  writeFileSync(join(HIVE_DIR, "package.json"), '{ "private": true }\n');
  execFileSync(
    "npm",
    ["install", "--no-audit", "--no-fund", `@graphql-hive/gateway@${HIVE_VERSION}`],
    { cwd: HIVE_DIR, stdio: "inherit" },
  );
}

const dataDir = mkdtempSync(join(tmpdir(), "hub-hive-"));
const database = await openDatabase({ dataDir });
console.log("preparing a hub database (territory import)…");
await prepareDatabase(database, hubSchemas, (line) => process.stdout.write(`\r${line}\x1b[K`));
process.stdout.write("\n");
const hub = await startHub({ database, gatewayPort: 0, subgraphPort: () => 0 });
const hubUrl = hub.gateway.url.replace(/\/graphql$/, "");
const carpool = await startCarpoolProcess();
let hive: RunningProcess | undefined;
try {
  hive = await startProcess(
    HIVE_BIN,
    [
      "supergraph",
      `${hubUrl}/supergraph.graphql`,
      "--polling",
      "10s",
      "--host",
      "127.0.0.1",
      "--port",
      String(HIVE_PORT),
    ],
    { NO_COLOR: "1" },
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the URL ends where a colour escape begins.
    /Listening on (http:\/\/[^\s\u001b]+)/,
  );
} catch (error) {
  await cleanup();
  throw error;
}
const hiveUrl = `${hive.url}/graphql`;

async function cleanup(): Promise<void> {
  await hive?.stop();
  await carpool.stop();
  await hub.close();
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });
}

try {
  console.log(
    `hub at ${hubUrl}, Hive Gateway at ${hiveUrl} polling ${hubUrl}/supergraph.graphql every 10 seconds (its minimum)`,
  );
  const before = await post(hiveUrl, QUERY);
  console.log(
    `before publication, Hive Gateway answers: ${before.errors?.[0]?.message ?? JSON.stringify(before.data)}`,
  );

  const { key } = await createApiKey(database.db, {
    name: "hive-gateway-polling script",
    role: "admin",
  });
  const published = await post(
    `${hubUrl}/admin/graphql`,
    `mutation { publishSubgraph(name: "carpool", url: "${carpool.url}") { version revision } }`,
    { authorization: `Bearer ${key}` },
  );
  if (published.errors) throw new Error(`publication refused: ${JSON.stringify(published.errors)}`);
  const start = performance.now();
  let answer = await post(hiveUrl, QUERY);
  while (answer.errors && performance.now() - start < 25_000) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    answer = await post(hiveUrl, QUERY);
  }
  if (answer.errors)
    throw new Error(
      `Hive Gateway did not pick up the publication: ${JSON.stringify(answer.errors)}`,
    );
  console.log(
    `published carpool; Hive Gateway served it after ${Math.round(performance.now() - start)} ms (polling every 10 s, its minimum):`,
  );
  console.log(JSON.stringify(answer.data));

  const etag = (await fetch(`${hubUrl}/supergraph.graphql`)).headers.get("etag")!;
  const unchanged = await fetch(`${hubUrl}/supergraph.graphql`, {
    headers: { "if-none-match": etag },
  });
  console.log(
    `GET /supergraph.graphql with If-None-Match: ${etag.slice(0, 14)}…" → ${unchanged.status}`,
  );
} finally {
  await cleanup();
}
