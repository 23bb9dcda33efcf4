import { hubSchemas, startHub, startSubgraphs } from "../../gateway/hub.js";
import { limitHeapGrowthFromNow } from "../../gateway/performance/heap.js";
import { startGatewayWorkers } from "../../gateway/workers.js";
import { scheduledJobs, startImportSchedule } from "../../imports/jobs.js";
import { envName } from "../../lib/config.js";
import { type Command, log } from "./command.js";
import { startGatewayProcess } from "./gateway.js";

/** `hub start`: the gateway and every subgraph in one process, or the gateway in workers beside them. */
export const start: Command = async ({ config }) => {
  const started = await startGatewayProcess(config, hubSchemas);
  if (!started) return;
  const { closeOnSignals, workers, database } = started;
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
            maxRejectedShare: config.importMaxRejectedShare,
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
};
