import { inspect } from "node:util";
import { pino } from "pino";

/** What the hub's processes write about themselves: starts, stops, failures, progress. */
export interface Log {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, error?: unknown, fields?: Record<string, unknown>): void;
}

/**
 * `LOG_FORMAT=json`: one JSON object a line (pino: `time` ISO 8601, `level`, `msg`, `pid` and the
 * event's own fields), for a log collector. Otherwise plain lines for a terminal.
 */
export function createLog(
  env: NodeJS.ProcessEnv = process.env,
  destination?: NodeJS.WritableStream,
): Log {
  if (env.LOG_FORMAT === "json") {
    const logger = pino(
      {
        base: { pid: process.pid },
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
      },
      destination ?? pino.destination({ sync: true }),
    );
    return {
      info: (message, fields = {}) => logger.info(fields, message),
      error: (message, error, fields = {}) =>
        logger.error({ ...fields, ...(error === undefined ? {} : { err: error }) }, message),
    };
  }
  const out = destination ?? process.stdout;
  const err = destination ?? process.stderr;
  const details = (fields: Record<string, unknown>) =>
    Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : "";
  return {
    info: (message, fields = {}) => out.write(`${message}${details(fields)}\n`),
    error: (message, error, fields = {}) =>
      err.write(
        `${message}${details(fields)}${error === undefined ? "" : `\n${error instanceof Error ? (error.stack ?? error.message) : inspect(error)}`}\n`,
      ),
  };
}

/** This process's log, as `LOG_FORMAT` says. */
export const log: Log = createLog();
