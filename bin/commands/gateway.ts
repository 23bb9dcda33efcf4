import { gatewaySchemas, type HubSchema } from "../../gateway/hub.js";
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
  const started = await startGatewayProcess(config, gatewaySchemas);
  if (!started) return;
  const { closeOnSignals, workers, database } = started;
  if (workers > 1) {
    await database.close();
    closeOnSignals(startGatewayWorkers({ count: workers, log }));
    return;
  }
  return serveGateway(config, database, closeOnSignals);
};

/**
 * The start of `hub start` and `hub gateway`: in a gateway worker, serves its share of the port
 * (and answers nothing more to do); otherwise the database prepared with `schemas`, and how
 * many gateway workers to start.
 */
export async function startGatewayProcess(
  config: HubConfig,
  schemas: readonly HubSchema[],
): Promise<{ closeOnSignals: CloseOnSignals; workers: number; database: DatabaseHandle } | null> {
  const closeOnSignals = await startServerProcess();
  const workers = readGatewayWorkers();
  if (isGatewayWorker()) {
    await serveGateway(config, await openDatabase({ url: config.databaseUrl }), closeOnSignals);
    return null;
  }
  if (workers > 1) prepareGatewayWorkers(config.databaseUrl);
  const database = await openConfiguredDatabase();
  await prepare(database, schemas);
  return { closeOnSignals, workers, database };
}

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
