import { gatewaySchemas } from "../../gateway/hub.js";
import { limitHeapGrowthFromNow } from "../../gateway/performance/heap.js";
import { committedSdl } from "../../gateway/schema-files.js";
import { startGateway } from "../../gateway/server.js";
import {
  isGatewayWorker,
  prepareGatewayWorkers,
  readGatewayWorkers,
  startGatewayWorkers,
} from "../../gateway/workers.js";
import type { HubConfig } from "../../lib/config.js";
import { type DatabaseHandle, openDatabase } from "../../lib/database.js";
import { subgraphs } from "../../subgraphs/index.js";
import { type Command, log, openConfiguredDatabase, prepare } from "./command.js";
import { type CloseOnSignals, startServerProcess } from "./server-process.js";

/** `hub gateway`: the gateway alone, reaching the subgraphs at `<NAME>_URL`. */
export const gateway: Command = async ({ config }) => {
  const closeOnSignals = await startServerProcess();
  const workers = readGatewayWorkers();
  if (isGatewayWorker())
    return serveGateway(config, await openDatabase({ url: config.databaseUrl }), closeOnSignals);
  if (workers > 1) prepareGatewayWorkers(config.databaseUrl);
  const database = await openConfiguredDatabase();
  await prepare(database, gatewaySchemas);
  if (workers > 1) {
    await database.close();
    closeOnSignals(startGatewayWorkers({ count: workers, log }));
    return;
  }
  return serveGateway(config, database, closeOnSignals);
};

/** The gateway alone, reaching the subgraphs at `<NAME>_URL`; in a gateway worker, its share of the port. */
export async function serveGateway(
  config: HubConfig,
  database: DatabaseHandle,
  closeOnSignals: CloseOnSignals,
): Promise<void> {
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
