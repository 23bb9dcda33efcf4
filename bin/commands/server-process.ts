import { log as hubLog } from "../../lib/log.js";
import { startTracing } from "../../lib/tracing.js";
import { log } from "./command.js";

/** Hands a server command's shutdown to the signal handlers, once it has started what it closes. */
export type CloseOnSignals = (close: () => Promise<void>) => void;

/**
 * The start of a server command: one shutdown for the whole process, servers first, the database
 * last, then the traces (which go out only when OTEL_EXPORTER_OTLP_ENDPOINT is set). Listened for
 * before any line says it is ready: a signal during start-up waits for what is starting, then
 * closes it, where Node's default would kill the process.
 */
export async function startServerProcess(): Promise<CloseOnSignals> {
  let closeOnSignals: CloseOnSignals = () => {};
  const started = new Promise<() => Promise<void>>((resolve) => (closeOnSignals = resolve));
  let stopTracing: (() => Promise<void>) | undefined;
  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    log(`${signal}: shutting down`);
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
  stopTracing = await startTracing();
  return closeOnSignals;
}
