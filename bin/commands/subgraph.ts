import { REGISTRY_VERBS, subgraphCommand } from "../../gateway/registry/cli.js";
import { startSubgraphServer } from "../../lib/subgraph.js";
import { subgraphs } from "../../subgraphs/index.js";
import { USAGE } from "../usage.js";
import { type Command, log, openConfiguredDatabase, prepare, registryClient } from "./command.js";
import { startServerProcess } from "./server-process.js";

/** `hub subgraph <name>` serves one of the hub's subgraphs; `hub subgraph <verb>` calls the registry. */
export const subgraph: Command = async ({ name, values, config }) => {
  if (name && REGISTRY_VERBS.includes(name)) {
    process.exitCode = await subgraphCommand(name, values, registryClient(config));
    return;
  }
  const closeOnSignals = await startServerProcess();
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
};
