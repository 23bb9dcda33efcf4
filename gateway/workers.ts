import cluster from "node:cluster";
import { randomBytes } from "node:crypto";
import { availableParallelism } from "node:os";
import { AggregatorRegistry, type Registry } from "prom-client";
import { gatewayExecArgv } from "./performance/heap.js";

/**
 * `GATEWAY_WORKERS`: how many processes serve the gateway. Unset or 1, this process alone;
 * `auto`, one per core; a number, that many. The gateway spends its time planning and building
 * JSON on one thread: workers put every core to that work behind one port (node:cluster).
 */
export function readGatewayWorkers(env: NodeJS.ProcessEnv = process.env): number {
  const value = env.GATEWAY_WORKERS;
  if (value === undefined || value === "") return 1;
  if (value === "auto") return availableParallelism();
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1 || count > 64)
    throw new Error(
      `GATEWAY_WORKERS must be "auto" or a number of processes from 1 to 64 (got "${value}")`,
    );
  return count;
}

/** Whether this process is a gateway worker started by `startGatewayWorkers`. */
export const isGatewayWorker = (): boolean => cluster.isWorker;

/**
 * Before anything is served, in the primary process: what the workers must share. The database
 * (PGlite serves one process, so workers need PostgreSQL) and the identity secret, drawn here
 * when unset so that subgraphs served by the primary accept the workers' calls.
 */
export function prepareGatewayWorkers(databaseUrl: string | undefined): void {
  if (!databaseUrl) {
    throw new Error(
      "GATEWAY_WORKERS needs DATABASE_URL (PostgreSQL): the embedded PGlite database serves one process. Unset GATEWAY_WORKERS or set DATABASE_URL.",
    );
  }
  process.env.HUB_IDENTITY_SECRET ||= randomBytes(32).toString("hex");
}

export interface GatewayWorkersOptions {
  count: number;
  /** Added to each worker's environment (where the subgraphs are). */
  env?: Record<string, string>;
  log: (line: string) => void;
}

/**
 * In the primary process: forks `count` gateway workers running the same command, replaces one
 * that dies, and answers their requests for the whole cluster's metrics. Returns what stops them.
 * Rate limits and caches are shared when `REDIS_URL` is set; else each worker keeps its own cache,
 * whose answers stay true for their cache hints whichever worker holds them.
 */
export function startGatewayWorkers({
  count,
  env = {},
  log,
}: GatewayWorkersOptions): () => Promise<void> {
  if (!process.env.REDIS_URL)
    log(
      `gateway: ${count} workers; rate limits and caches are per worker (set REDIS_URL to share them)`,
    );
  cluster.setupPrimary({ execArgv: gatewayExecArgv() });
  const aggregator = new AggregatorRegistry();
  let stopping = false;
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) return;
    log(`gateway worker ${worker.process.pid} stopped (${signal ?? code}); starting another`);
    cluster.fork(env);
  });
  cluster.on("message", (worker, message: { type?: string; id?: number }) => {
    if (message?.type !== METRICS_REQUEST) return;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: METRICS_RESPONSE, id: message.id, text }),
      (error: unknown) =>
        worker.send({ type: METRICS_RESPONSE, id: message.id, error: String(error) }),
    );
  });
  for (let i = 0; i < count; i++) cluster.fork(env);
  return async () => {
    stopping = true;
    const workers = Object.values(cluster.workers ?? {});
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            worker!.once("exit", () => resolve());
            worker!.process.kill("SIGTERM");
          }),
      ),
    );
  };
}

const METRICS_REQUEST = "hub:metrics-request";
const METRICS_RESPONSE = "hub:metrics-response";

/**
 * The text served at `/metrics`: this process's registry alone, or in a gateway worker the
 * whole cluster's, summed by the primary (one scrape sees every worker, not whichever answered).
 */
export function metricsExposition(registry: Registry): () => Promise<string> {
  if (!cluster.isWorker) return () => registry.metrics();
  // Constructing one is what makes prom-client answer the primary's requests in a worker.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
  let nextId = 0;
  const pending = new Map<number, { resolve(text: string): void; reject(error: Error): void }>();
  process.on(
    "message",
    (message: { type?: string; id?: number; text?: string; error?: string }) => {
      if (message?.type !== METRICS_RESPONSE || message.id === undefined) return;
      const waiting = pending.get(message.id);
      pending.delete(message.id);
      if (message.error !== undefined) waiting?.reject(new Error(message.error));
      else waiting?.resolve(message.text ?? "");
    },
  );
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      process.send!({ type: METRICS_REQUEST, id });
    });
}
