/** Every environment variable the hub reads; docs/configuration.md lists the same. */
export interface HubConfig {
  host: string;
  gatewayPort: number;
  databaseUrl: string | undefined;
  dataDir: string;
  /** Port of a subgraph when this process serves it. */
  subgraphPort(name: string, defaultPort: number): number;
  /** Where the gateway reaches a subgraph served by another process. */
  subgraphUrl(name: string, defaultPort: number): string;
  /** Key of the pseudonyms given to people imported from EBS. */
  pseudonymSecret: string | undefined;
  /** Cron expression (Europe/Paris) of the imports `npm start` runs, and what they import. */
  importSchedule: string | undefined;
  importRustineLibreUrl: string | undefined;
  importEbsDatabases: string | undefined;
  /** An import rejecting more than this share of its records (0..1) ends failed. */
  importMaxRejectedShare: number;
}

function port(value: string | undefined, fallback: number, variable: string): number {
  if (value === undefined || value === "") return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535)
    throw new Error(`${variable} must be a port number (got "${value}")`);
  return parsed;
}

/**
 * A whole number from the environment, `fallback` when unset: anything else (`1s`, `1MB`, a
 * negative) stops the process at start with the variable's name, rather than becoming `NaN`.
 */
export function wholeNumber(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  minimum = 1,
): number {
  const value = env[name];
  if (value === undefined || value === "") return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < minimum)
    throw new Error(`${name} must be a whole number of at least ${minimum} (got "${value}")`);
  return parsed;
}

/** A percentage from the environment, 0 to 100. */
function percent(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = wholeNumber(env, name, fallback, 0);
  if (value > 100) throw new Error(`${name} must be a percentage, 0 to 100 (got "${value}")`);
  return value;
}

/** `exchanges` → `EXCHANGES`, the prefix of a subgraph's variables (`EXCHANGES_PORT`, `EXCHANGES_URL`). */
export const envName = (subgraph: string) => subgraph.toUpperCase().replace(/[^A-Z0-9]/g, "_");

export function readConfig(env: NodeJS.ProcessEnv = process.env): HubConfig {
  const host = env.HOST || "127.0.0.1";
  return {
    host,
    gatewayPort: port(env.PORT, 4000, "PORT"),
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.DATA_DIR || "./.data",
    subgraphPort: (name, defaultPort) =>
      port(env[`${envName(name)}_PORT`], defaultPort, `${envName(name)}_PORT`),
    pseudonymSecret: env.HUB_PSEUDONYM_SECRET || undefined,
    importSchedule: env.IMPORT_SCHEDULE || undefined,
    importRustineLibreUrl: env.IMPORT_RUSTINE_LIBRE_URL || undefined,
    importEbsDatabases: env.IMPORT_EBS_DATABASES || undefined,
    importMaxRejectedShare: percent(env, "IMPORT_MAX_REJECTED_PERCENT", 50) / 100,
    subgraphUrl: (name, defaultPort) =>
      env[`${envName(name)}_URL`] ||
      `http://localhost:${port(env[`${envName(name)}_PORT`], defaultPort, `${envName(name)}_PORT`)}/graphql`,
  };
}
