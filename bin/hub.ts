import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { createApiKey, listApiKeys, revokeApiKey } from "../gateway/access/api-keys.js";
import { accessSchemaDefinition } from "../gateway/access/index.js";
import {
  gatewaySchemas,
  type HubSchema,
  hubSchemas,
  prepareDatabase,
  startHub,
  startSubgraphs,
} from "../gateway/hub.js";
import { limitHeapGrowthFromNow } from "../gateway/performance/heap.js";
import { partnerCommand, REGISTRY_VERBS, subgraphCommand } from "../gateway/registry/cli.js";
import { committedSdl, renderSchemaFiles, SCHEMA_DIR } from "../gateway/schema-files.js";
import { startGateway } from "../gateway/server.js";
import {
  isGatewayWorker,
  prepareGatewayWorkers,
  readGatewayWorkers,
  startGatewayWorkers,
} from "../gateway/workers.js";
import { importsSchemaDefinition } from "../imports/index.js";
import {
  describeJobFailure,
  type ImportJob,
  runJob,
  scheduledJobs,
  startImportSchedule,
} from "../imports/jobs.js";
import { formatReport } from "../imports/report.js";
import { describeRun, lastRuns } from "../imports/runs.js";
import { envName, type HubConfig, readConfig } from "../lib/config.js";
import { type DatabaseHandle, openDatabase } from "../lib/database.js";
import { ACTS_FOR_KINDS, type ActsForKind, ROLES, type Role } from "../lib/identity.js";
import { log as hubLog } from "../lib/log.js";
import { startSubgraphServer } from "../lib/subgraph.js";
import { startTracing } from "../lib/tracing.js";
import { subgraphs } from "../subgraphs/index.js";

const USAGE = `Usage: hub <command>

  start               the gateway and every subgraph in one process (what \`npm start\` runs)
  gateway             the gateway alone; subgraphs are reached at <NAME>_URL
  subgraph <name>     one subgraph alone (${subgraphs.map((s) => s.name).join(", ")})
  compose             write each subgraph's SDL, the supergraph and the API schema into schema/
  key create --name N --role R [--for KIND:ID]
                      issue an API key (printed once); roles: ${ROLES.slice(1).join(", ")};
                      kinds: ${ACTS_FOR_KINDS.join(", ")} (e.g. --for collectivite:lomme)
  key list            the keys issued, without their secrets
  key revoke <id>     revoke a key at once
  import rustine-libre --url URL
                      import Rustine Libre's repairers from its API into bookings
  import ebs --instance SLUG --database-url URL [--territory KIND:CODE] [--name N]
                      import one EBS instance from its database, read only, into exchanges
                      (--territory registers an instance the hub does not know yet)
  import status       the last import runs

  The partner registry, through a running hub's /admin/graphql (HUB_URL, HUB_TOKEN):
  subgraph publish --name N --url U [--schema FILE] [--force]
                      check and publish a subgraph: its SDL from FILE, or from _service { sdl } at U
  subgraph list       the registry's subgraphs, their version and health
  subgraph versions --name N
  subgraph rollback --name N --version V [--force]
  subgraph remove --name N [--force]
  partner create --id ID --name N
                      register a partner and print its token (admin key)
  partner list
`;

const log = (line: string) => hubLog.info(line);

/** One line that rewrites itself on a terminal, one line every so often in a log file. */
function progressPrinter(): (line: string) => void {
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

async function openConfiguredDatabase(): Promise<DatabaseHandle> {
  const config = readConfig();
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  log(`database: ${database.driver} (${database.location})`);
  return database;
}

/** Traces go out only when OTEL_EXPORTER_OTLP_ENDPOINT is set; what flushes them at shutdown. */
let stopTracing: (() => Promise<void>) | undefined;

/** Hands a server command's shutdown to the signal handlers, once it has started what it closes. */
let closeOnSignals: (close: () => Promise<void>) => void = () => {};

/**
 * One shutdown for the whole process: servers first, the database last, then the traces. Listened
 * for from the start of a server command, before any line says it is ready: a signal during
 * start-up waits for what is starting, then closes it, where Node's default would kill the process.
 */
function listenForSignals(): void {
  const started = new Promise<() => Promise<void>>((resolve) => (closeOnSignals = resolve));
  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    log(`${signal}: arrêt en cours`);
    started
      .then((close) => close())
      .then(() => stopTracing?.())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          hubLog.error("shutdown failed", error);
          process.exit(1);
        },
      );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

async function prepare(database: DatabaseHandle, which: readonly HubSchema[]): Promise<void> {
  const progress = progressPrinter();
  await prepareDatabase(database, which, progress);
  if (process.stdout.isTTY) process.stdout.write("\n");
}

/** The gateway alone, reaching the subgraphs at `<NAME>_URL`; in a gateway worker, its share of the port. */
async function serveGateway(config: HubConfig, database: DatabaseHandle): Promise<void> {
  const gateway = await startGateway({
    subgraphs: subgraphs.map((s) => ({
      name: s.name,
      url: config.subgraphUrl(s.name, s.defaultPort),
      sdl: committedSdl(s.name),
    })),
    database,
    port: config.gatewayPort,
    host: config.host,
    log,
  });
  log(
    isGatewayWorker()
      ? `gateway worker ${process.pid} ready at ${gateway.url}`
      : `gateway ready at ${gateway.url}`,
  );
  limitHeapGrowthFromNow();
  closeOnSignals(async () => {
    await gateway.close();
    await database.close();
  });
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
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
    },
  });
  const [command, name, argument] = positionals;
  const config = readConfig();
  if (
    command === "start" ||
    command === "gateway" ||
    (command === "subgraph" && !REGISTRY_VERBS.includes(name ?? ""))
  ) {
    listenForSignals();
    stopTracing = await startTracing();
  }
  const registryClient = {
    hubUrl: process.env.HUB_URL || `http://localhost:${config.gatewayPort}`,
    token: process.env.HUB_TOKEN,
    log,
  };

  switch (command) {
    case "start": {
      const workers = readGatewayWorkers();
      if (isGatewayWorker())
        return serveGateway(config, await openDatabase({ url: config.databaseUrl }));
      if (workers > 1) prepareGatewayWorkers(config.databaseUrl);
      const database = await openConfiguredDatabase();
      await prepare(database, hubSchemas);
      const subgraphPort = (s: { name: string; defaultPort: number }) =>
        config.subgraphPort(s.name, s.defaultPort);
      // The imports run in this process, which holds the database, whether or not the gateway runs in workers.
      const startImports = () =>
        config.importSchedule
          ? startImportSchedule(
              database.db,
              config.importSchedule,
              scheduledJobs(config.importRustineLibreUrl, config.importEbsDatabases),
              {
                pseudonymSecret: config.pseudonymSecret,
                log,
              },
            )
          : () => {};
      if (workers > 1) {
        const running = await startSubgraphs({ database, subgraphPort, log });
        const stopWorkers = startGatewayWorkers({
          count: workers,
          env: Object.fromEntries(
            [...running].map(([name, server]) => [`${envName(name)}_URL`, server.url]),
          ),
          log,
        });
        const stopImports = startImports();
        closeOnSignals(async () => {
          stopImports();
          await stopWorkers();
          await Promise.all([...running.values()].map((server) => server.close()));
          await database.close();
        });
        return;
      }
      const hub = await startHub({
        database,
        host: config.host,
        gatewayPort: config.gatewayPort,
        subgraphPort,
        log,
      });
      limitHeapGrowthFromNow();
      const stopImports = startImports();
      closeOnSignals(async () => {
        stopImports();
        await hub.close();
        await database.close();
      });
      return;
    }
    case "gateway": {
      const workers = readGatewayWorkers();
      if (isGatewayWorker())
        return serveGateway(config, await openDatabase({ url: config.databaseUrl }));
      if (workers > 1) prepareGatewayWorkers(config.databaseUrl);
      const database = await openConfiguredDatabase();
      await prepare(database, gatewaySchemas);
      if (workers > 1) {
        await database.close();
        closeOnSignals(startGatewayWorkers({ count: workers, log }));
        return;
      }
      return serveGateway(config, database);
    }
    case "subgraph": {
      if (name && REGISTRY_VERBS.includes(name))
        return subgraphCommand(name, values, registryClient);
      const definition = subgraphs.find((s) => s.name === name);
      if (!definition) throw new Error(`Unknown subgraph "${name ?? ""}".\n\n${USAGE}`);
      const database = await openConfiguredDatabase();
      await prepare(database, [definition]);
      const server = await startSubgraphServer(definition, {
        db: database.db,
        port: config.subgraphPort(definition.name, definition.defaultPort),
      });
      log(`subgraph ${definition.name} ready at ${server.url}`);
      closeOnSignals(async () => {
        await server.close();
        await database.close();
      });
      return;
    }
    case "compose": {
      for (const [path, content] of await renderSchemaFiles(subgraphs)) {
        mkdirSync(dirname(join(SCHEMA_DIR, path)), { recursive: true });
        writeFileSync(join(SCHEMA_DIR, path), content);
        log(`wrote schema/${path}`);
      }
      return;
    }
    case "partner":
      return partnerCommand(name, values, registryClient);
    case "key": {
      const database = await openConfiguredDatabase();
      try {
        await prepare(database, [accessSchemaDefinition]);
        if (name === "create") {
          if (!values.name || !values.role)
            throw new Error(`key create needs --name and --role.\n\n${USAGE}`);
          const [kind, id] = values.for?.split(":", 2) ?? [];
          const { id: keyId, key } = await createApiKey(database.db, {
            name: values.name,
            role: values.role as Exclude<Role, "anonymous">,
            actsFor: kind && id ? { kind: kind as ActsForKind, id } : null,
          });
          log(`key ${keyId} created; it is shown only now, keep it safe:\n${key}`);
        } else if (name === "list") {
          for (const key of await listApiKeys(database.db)) {
            const actsFor = key.actsForKind ? ` for ${key.actsForKind}:${key.actsForId}` : "";
            log(
              `${key.id}  ${key.role}${actsFor}  "${key.name}"  ${key.revokedAt ? `revoked ${key.revokedAt.toISOString()}` : "active"}`,
            );
          }
        } else if (name === "revoke" && argument) {
          log(
            (await revokeApiKey(database.db, argument))
              ? `key ${argument} revoked`
              : `no active key ${argument}`,
          );
        } else {
          throw new Error(USAGE);
        }
      } finally {
        await database.close();
      }
      return;
    }
    case "import": {
      const job = name === "status" ? null : importJob(name, values);
      const database = await openConfiguredDatabase();
      try {
        await prepare(database, job ? hubSchemas : [importsSchemaDefinition]);
        if (!job) {
          const runs = await lastRuns(database.db);
          log(runs.length ? runs.map(describeRun).join("\n") : "no import has run yet");
          return;
        }
        const progress = progressPrinter();
        try {
          const { report, resumed } = await runJob(database.db, job, {
            pseudonymSecret: config.pseudonymSecret,
            progress,
          });
          if (process.stdout.isTTY) process.stdout.write("\n");
          log(`${job.connector}${resumed ? " (resumed)" : ""}:\n${formatReport(report.data)}`);
        } catch (error) {
          if (process.stdout.isTTY) process.stdout.write("\n");
          throw new Error(describeJobFailure(error));
        }
      } finally {
        await database.close();
      }
      return;
    }
    default:
      console.log(USAGE);
      process.exitCode = command ? 1 : 0;
  }
}

function importJob(
  connector: string | undefined,
  values: Record<string, string | boolean | undefined>,
): ImportJob {
  const option = (key: string) =>
    typeof values[key] === "string" ? (values[key] as string) : undefined;
  if (connector === "rustine-libre" && option("url")) return { connector, url: option("url")! };
  if (connector === "ebs" && option("instance") && option("database-url")) {
    return {
      connector,
      instance: option("instance")!,
      databaseUrl: option("database-url")!,
      territoryId: option("territory"),
      name: option("name"),
    };
  }
  throw new Error(
    `import needs rustine-libre --url, ebs --instance and --database-url, or status.\n\n${USAGE}`,
  );
}

main().catch((error: unknown) => {
  hubLog.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
