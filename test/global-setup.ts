import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { hubSchemas, prepareDatabase } from "../gateway/hub.js";
import { openDatabase } from "../lib/database.js";
import { buildServer } from "../scripts/build.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** PGlite: path of a dump of the migrated, seeded database. PostgreSQL: the template database's URL. */
    testDatabase:
      | { driver: "pglite"; dump: string }
      | { driver: "postgres"; templateUrl: string; adminUrl: string };
  }
}

/** Everything that shapes the seeded database: a new version of any of it rebuilds the template. */
function sourcesVersion(): string {
  const hash = createHash("sha256");
  const walk = (dir: string, only = (_path: string) => true) => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path, only);
      else if (/\.(ts|sql|json)$/.test(entry) && !entry.endsWith(".test.ts") && only(path))
        hash.update(path).update(readFileSync(path));
    }
  };
  walk("subgraphs");
  walk("lib");
  // The gateway's own schemas (access, registry): their migrations, not the rest of its code.
  walk("gateway", (path) => path.includes("/migrations/"));
  walk("imports");
  // The directory's reviewed facts (its JSON Schema too).
  walk("data");
  hash.update(readFileSync("package-lock.json"));
  return hash.digest("hex").slice(0, 16);
}

/**
 * Migrates and seeds one database for the whole run (the territory import takes a while), then
 * every test file starts from a copy of it: a PGlite dump, or a PostgreSQL `CREATE DATABASE ... TEMPLATE`.
 */
export default async function setup(project: TestProject) {
  // The tests that run `hub` as a process run what `npm start` runs: the build of these sources.
  await buildServer();
  const url = process.env.DATABASE_URL;
  const log = (line: string) => process.stdout.write(`\r[test database] ${line}\x1b[K`);

  if (!url) {
    mkdirSync(".data/test", { recursive: true });
    const dump = `.data/test/template-${sourcesVersion()}.tar.gz`;
    if (!existsSync(dump)) {
      const database = await openDatabase({ dataDir: "memory://" });
      await prepareDatabase(database, hubSchemas, log);
      const blob = await database.dump!();
      writeFileSync(dump, Buffer.from(await blob.arrayBuffer()));
      await database.close();
      process.stdout.write("\n");
    }
    project.provide("testDatabase", { driver: "pglite", dump });
    return;
  }

  const admin = postgres(url, { max: 1, onnotice: () => {} });
  const template = `hub_template_${process.pid}`;
  await admin.unsafe(`drop database if exists ${template}`);
  await admin.unsafe(`create database ${template}`);
  const templateUrl = withDatabase(url, template);
  const database = await openDatabase({ url: templateUrl });
  await prepareDatabase(database, hubSchemas, log);
  await database.close();
  process.stdout.write("\n");
  project.provide("testDatabase", { driver: "postgres", templateUrl, adminUrl: url });

  return async () => {
    // Drops the template and every copy the test files made of it.
    const copies = await admin<
      { datname: string }[]
    >`select datname from pg_database where datname like ${`${template}%`}`;
    for (const { datname } of copies)
      await admin.unsafe(`drop database if exists ${datname} with (force)`);
    await admin.end();
  };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
