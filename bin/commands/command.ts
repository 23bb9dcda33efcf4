import type { parseArgs } from "node:util";
import { type HubSchema, prepareDatabase } from "../../gateway/hub.js";
import type { RegistryCliOptions } from "../../gateway/registry/cli.js";
import type { HubConfig } from "../../lib/config.js";
import { readConfig } from "../../lib/config.js";
import { type DatabaseHandle, openDatabase } from "../../lib/database.js";
import { log as hubLog } from "../../lib/log.js";

/** The command line: `hub <command> [name] [argument] --option…`, the options shared by every command. */
export const ARGUMENTS = {
  allowPositionals: true,
  strict: true,
  options: {
    name: { type: "string" },
    role: { type: "string" },
    for: { type: "string" },
    url: { type: "string" },
    instance: { type: "string" },
    "database-url": { type: "string" },
    territory: { type: "string" },
    id: { type: "string" },
    schema: { type: "string" },
    version: { type: "string" },
    force: { type: "boolean" },
    json: { type: "boolean" },
    last: { type: "string" },
    "timeout-ms": { type: "string" },
    manifest: { type: "string" },
    subgraph: { type: "string" },
    days: { type: "string" },
  },
} as const;

export interface CommandInput {
  /** The word after the command: a subgraph, a verb (`key create`), a connector (`import ebs`). */
  name: string | undefined;
  argument: string | undefined;
  values: ReturnType<typeof parseArgs<typeof ARGUMENTS>>["values"];
  config: HubConfig;
}

export type Command = (input: CommandInput) => Promise<void>;

export const log = (line: string) => hubLog.info(line);

/** One line that rewrites itself on a terminal, one line every so often in a log file. */
export function progressPrinter(): (line: string) => void {
  let last = 0;
  return (line) => {
    if (process.stdout.isTTY && process.env.LOG_FORMAT !== "json")
      process.stdout.write(`\r${line}\x1b[K`);
    else if (Date.now() - last > 2000) {
      log(line);
      last = Date.now();
    }
  };
}

export async function openConfiguredDatabase(): Promise<DatabaseHandle> {
  const config = readConfig();
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  log(`database: ${database.driver} (${database.location})`);
  return database;
}

export async function prepare(
  database: DatabaseHandle,
  which: readonly HubSchema[],
): Promise<void> {
  const progress = progressPrinter();
  await prepareDatabase(database, which, progress);
  if (process.stdout.isTTY) process.stdout.write("\n");
}

/** `hub subgraph <verb>` and `hub partner`: a client of a running hub's registry API. */
export const registryClient = (config: HubConfig): RegistryCliOptions => ({
  hubUrl: process.env.HUB_URL || `http://localhost:${config.gatewayPort}`,
  token: process.env.HUB_TOKEN,
  log,
});
