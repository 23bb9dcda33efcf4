import { randomBytes } from "node:crypto";
import { cpSync } from "node:fs";
import { join } from "node:path";
import postgres from "postgres";
import type { DatabaseOptions } from "../../lib/database.js";
import { temporaryDataDir } from "./startup.js";

/** Where one size of the benchmark keeps its data, as environment variables for each process. */
export interface BenchDatabase {
  /** For every hub process. */
  env: Record<string, string>;
  /** For `hub start`, the process serving the subgraphs. */
  subgraphEnv: Record<string, string>;
  /** For `hub gateway` and `hub key` (the gateway's API keys). */
  gatewayEnv: Record<string, string>;
  /** For another `hub gateway` with the same API keys: PGlite's directory copied (while no process has it open), PostgreSQL shared. */
  otherGatewayEnv(copy: string): Record<string, string>;
  /** How the scale generator opens the subgraphs' database. */
  open: DatabaseOptions;
  /** PostgreSQL serves several processes (gateway workers); PGlite one. */
  sharedByProcesses: boolean;
}

export interface BenchDatabases {
  driver: "pglite" | "postgres";
  seeded: BenchDatabase;
  scaled: BenchDatabase;
  remove(): Promise<void>;
}

/**
 * Throw-away databases for the seeded and the scale runs: on the PostgreSQL server of
 * `DATABASE_URL` when it is set (new databases beside the one named there), else PGlite
 * directories, one for the subgraphs and one for the gateway's keys (PGlite serves one process).
 */
export async function benchDatabases(url: string | undefined): Promise<BenchDatabases> {
  if (!url) {
    const dir = temporaryDataDir();
    const pglite = (name: string): BenchDatabase => ({
      env: {},
      subgraphEnv: { DATA_DIR: join(dir.path, name, "subgraphs") },
      gatewayEnv: { DATA_DIR: join(dir.path, name, "gateway") },
      otherGatewayEnv: (copy) => {
        cpSync(join(dir.path, name, "gateway"), join(dir.path, name, `gateway-${copy}`), {
          recursive: true,
        });
        return { DATA_DIR: join(dir.path, name, `gateway-${copy}`) };
      },
      open: { dataDir: join(dir.path, name, "subgraphs") },
      sharedByProcesses: false,
    });
    return {
      driver: "pglite",
      seeded: pglite("seeded"),
      scaled: pglite("scaled"),
      remove: async () => dir.remove(),
    };
  }
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  const suffix = randomBytes(4).toString("hex");
  const names = { seeded: `hub_bench_${suffix}`, scaled: `hub_bench_${suffix}_scale` };
  for (const name of Object.values(names)) await admin.unsafe(`create database ${name}`);
  const postgresDatabase = (name: string): BenchDatabase => {
    const databaseUrl = new URL(url);
    databaseUrl.pathname = `/${name}`;
    return {
      env: { DATABASE_URL: databaseUrl.toString() },
      subgraphEnv: {},
      gatewayEnv: {},
      otherGatewayEnv: () => ({}),
      open: { url: databaseUrl.toString() },
      sharedByProcesses: true,
    };
  };
  return {
    driver: "postgres",
    seeded: postgresDatabase(names.seeded),
    scaled: postgresDatabase(names.scaled),
    remove: async () => {
      for (const name of Object.values(names))
        await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
