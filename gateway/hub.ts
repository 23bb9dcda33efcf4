import { importsSchemaDefinition } from "../imports/index.js";
import type { DatabaseHandle } from "../lib/database.js";
import type { AnySubgraphDefinition, RunningSubgraph } from "../lib/subgraph.js";
import { startSubgraphServer } from "../lib/subgraph.js";
import { subgraphs as builtInSubgraphs } from "../subgraphs/index.js";
import { accessSchemaDefinition } from "./access/index.js";
import { registrySchemaDefinition } from "./registry/index.js";
import { type GatewayOptions, type RunningGateway, startGateway } from "./server.js";

/** A PostgreSQL schema of the hub: a subgraph's, or one of the gateway's own. */
export type HubSchema = Pick<AnySubgraphDefinition, "name" | "migrationsFolder" | "seed">;

/** Every schema this repository runs: the subgraphs', then the gateway's and the connectors'. */
export const hubSchemas: readonly HubSchema[] = [
  ...builtInSubgraphs,
  accessSchemaDefinition,
  registrySchemaDefinition,
  importsSchemaDefinition,
];

/** The gateway's own schemas, for a gateway that runs apart from the subgraphs. */
export const gatewaySchemas: readonly HubSchema[] = [
  accessSchemaDefinition,
  registrySchemaDefinition,
];

/**
 * Applies every schema's migrations, then its seed (the directory first: others refer to it),
 * under a lock, so that processes starting together on one PostgreSQL take turns.
 */
export async function prepareDatabase(
  database: DatabaseHandle,
  schemas: readonly HubSchema[] = hubSchemas,
  progress: (line: string) => void = () => {},
): Promise<void> {
  await database.exclusive(async () => {
    for (const schema of schemas) await database.migrate(schema.name, schema.migrationsFolder);
    for (const schema of schemas) await schema.seed(database.db, progress);
  });
}

export interface HubOptions {
  database: DatabaseHandle;
  /** The gateway's address (`HOST`). */
  host?: string;
  /** The subgraphs' (`SUBGRAPH_HOST`, loopback by default): only the gateway calls them. */
  subgraphHost?: string;
  gatewayPort: number;
  subgraphPort(subgraph: AnySubgraphDefinition): number;
  subgraphs?: readonly AnySubgraphDefinition[];
  /** Gateway settings other than the environment's (limits, rate limits). */
  gateway?: Pick<
    GatewayOptions,
    "limits" | "rateLimit" | "performance" | "trustedDocuments" | "playground" | "registry"
  >;
  log?: (line: string) => void;
}

export interface RunningHub {
  gateway: RunningGateway;
  subgraphs: Map<string, RunningSubgraph>;
  close(): Promise<void>;
}

/** Every subgraph of this repository, each its own HTTP server, in this process. */
export async function startSubgraphs({
  database,
  subgraphHost,
  subgraphPort,
  subgraphs = builtInSubgraphs,
  log = () => {},
}: Pick<HubOptions, "database" | "subgraphHost" | "subgraphPort" | "subgraphs" | "log">): Promise<
  Map<string, RunningSubgraph>
> {
  const running = new Map<string, RunningSubgraph>();
  for (const definition of subgraphs) {
    const server = await startSubgraphServer(definition, {
      db: database.db,
      port: subgraphPort(definition),
      ...(subgraphHost ? { host: subgraphHost } : {}),
    });
    running.set(definition.name, server);
    log(`subgraph ${definition.name} ready at ${server.url}`);
  }
  return running;
}

/** The gateway and every subgraph of this repository, each its own HTTP server, in one process. */
export async function startHub({
  database,
  host,
  gatewayPort,
  gateway: gatewayOptions = {},
  log = () => {},
  ...options
}: HubOptions): Promise<RunningHub> {
  const running = await startSubgraphs({ database, log, ...options });
  const gateway = await startGateway({
    subgraphs: [...running.entries()].map(([name, server]) => ({
      name,
      url: server.url,
      sdl: server.sdl,
    })),
    database,
    port: gatewayPort,
    ...(host ? { host } : {}),
    log,
    ...gatewayOptions,
  });
  log(`gateway ready at ${gateway.url}`);
  return {
    gateway,
    subgraphs: running,
    close: async () => {
      await gateway.close();
      await Promise.all([...running.values()].map((server) => server.close()));
    },
  };
}
