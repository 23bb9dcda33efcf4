import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { wholeNumber } from "./config.js";

/** The drizzle database every subgraph queries, whichever driver is behind it. */
export type Database = PgDatabase<PgQueryResultHKT>;

/** What `db.transaction` hands its callback: the writes that must all happen, or none. */
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

/** Counts the SQL statements sent, so that tests and benchmarks can prove batching. */
export class StatementCounter {
  count = 0;
  /** The SQL of the last statement: what a request read, for the tests that check it reads no more. */
  last = "";
  logQuery(query: string): void {
    this.count += 1;
    this.last = query;
  }
}

/** The rows of a raw `execute()`: postgres.js returns them, PGlite an object holding them. */
export function resultRows<Row>(result: unknown): Row[] {
  return Array.isArray(result) ? (result as Row[]) : (result as { rows: Row[] }).rows;
}

export interface DatabaseHandle {
  db: Database;
  driver: "pglite" | "postgres";
  /** Where the data lives: the PGlite directory or the PostgreSQL URL without credentials. */
  location: string;
  statements: StatementCounter;
  /** Applies one subgraph's migrations (run it inside `exclusive` when other processes may start). */
  migrate(subgraph: string, migrationsFolder: string): Promise<void>;
  /** Runs `work` while no other process holds the hub's lock on this database (migrations, seeds). */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  /**
   * Calls `onNotify` with each payload sent on `channel` (`pg_notify`), by any process on this
   * database (PGlite: this process). Returns what stops listening.
   */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  ping(): Promise<void>;
  close(): Promise<void>;
  /** PGlite only: the whole data directory as a tarball, for `loadDataDir`. */
  dump?(): Promise<Blob>;
}

export interface DatabaseOptions {
  /** `DATABASE_URL`: when set, PostgreSQL through postgres.js. */
  url?: string | undefined;
  /** PGlite data directory when no URL is given; `memory://` keeps it in memory. */
  dataDir?: string | undefined;
  /** A PGlite dump (`dumpDataDir`) to start from, used by the tests to skip the import. */
  loadDataDir?: Blob | File | undefined;
  /** PostgreSQL connections (`DATABASE_POOL_SIZE` by default). */
  poolSize?: number | undefined;
}

/** Migration bookkeeping lives apart from the subgraphs' schemas: one table per subgraph. */
const MIGRATIONS_SCHEMA = "hub_migrations";
/** An arbitrary constant: the key of the advisory lock taken while migrating and seeding. */
const PREPARE_LOCK_KEY = 7_304_211;

export async function openDatabase(options: DatabaseOptions = {}): Promise<DatabaseHandle> {
  return options.url
    ? openPostgres(options.url, options.poolSize)
    : openPglite(options.dataDir ?? "./.data", options.loadDataDir);
}

async function openPglite(dataDir: string, loadDataDir?: Blob | File): Promise<DatabaseHandle> {
  // Loaded only here: a process on PostgreSQL (a gateway alone) keeps PGlite's tens of MB out of memory.
  const [{ PGlite }, { btree_gist }, { drizzle: drizzlePglite }, { migrate: migratePglite }] =
    await Promise.all([
      import("@electric-sql/pglite"),
      import("@electric-sql/pglite/contrib/btree_gist"),
      import("drizzle-orm/pglite"),
      import("drizzle-orm/pglite/migrator"),
    ]);
  const inMemory = dataDir.startsWith("memory://");
  const location = inMemory ? dataDir : resolve(dataDir);
  const releaseLock = inMemory ? () => {} : lockDataDir(location);
  const client = await PGlite.create(inMemory ? dataDir : location, {
    // btree_gist: exclusion constraints mixing `=` and range overlap (loans of one object).
    extensions: { btree_gist },
    ...(loadDataDir ? { loadDataDir } : {}),
  });
  const statements = new StatementCounter();
  const db = drizzlePglite({ client, logger: statements }) as unknown as Database;
  return {
    db,
    driver: "pglite",
    location,
    statements,
    migrate: async (subgraph, migrationsFolder) => {
      await migratePglite(db as never, {
        migrationsFolder,
        migrationsSchema: MIGRATIONS_SCHEMA,
        migrationsTable: subgraph,
      });
    },
    // One connection per data directory: no other process can open it at the same time.
    exclusive: (work) => work(),
    listen: (channel, onNotify) => client.listen(channel, onNotify).then((stop) => () => stop()),
    ping: async () => {
      await client.query("select 1");
    },
    close: async () => {
      await client.close();
      releaseLock();
    },
    dump: () => client.dumpDataDir("gzip"),
  };
}

/** The PGlite directory is held by another live process (a running hub). */
export class DataDirInUse extends Error {
  constructor(
    readonly location: string,
    readonly holder: number,
  ) {
    super(
      `The PGlite directory ${location} is in use by process ${holder}. ` +
        "Run the hub in one process (npm start), give each process its own DATA_DIR, or set DATABASE_URL to share PostgreSQL.",
    );
  }
}

/**
 * PGlite serves one process per data directory; a second one would corrupt it. The lock file
 * names the process holding it, and a lock left by a process that died is taken over.
 */
function lockDataDir(location: string): () => void {
  mkdirSync(location, { recursive: true });
  const lockFile = join(location, "hub.pid");
  try {
    writeFileSync(lockFile, String(process.pid), { flag: "wx" });
  } catch {
    const holder = Number(readFileSync(lockFile, "utf8"));
    if (holder !== process.pid && isAlive(holder)) throw new DataDirInUse(location, holder);
    writeFileSync(lockFile, String(process.pid));
  }
  return () => rmSync(lockFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return Number.isInteger(pid) && pid > 0;
  } catch {
    return false;
  }
}

async function openPostgres(
  url: string,
  poolSize = wholeNumber(process.env, "DATABASE_POOL_SIZE", 10),
): Promise<DatabaseHandle> {
  const client = postgres(url, {
    max: poolSize,
    onnotice: () => {},
    connection: { application_name: "declics-hub" },
  });
  const statements = new StatementCounter();
  const db = drizzlePostgres({ client, logger: statements }) as unknown as Database;
  return {
    db,
    driver: "postgres",
    location: redactUrl(url),
    statements,
    migrate: async (subgraph, migrationsFolder) => {
      await migratePostgres(db as never, {
        migrationsFolder,
        migrationsSchema: MIGRATIONS_SCHEMA,
        migrationsTable: subgraph,
      });
    },
    // drizzle's migrator takes no lock: a connection of its own holds one while the pool works.
    exclusive: async (work) => {
      const lock = await client.reserve();
      try {
        await lock`select pg_advisory_lock(${PREPARE_LOCK_KEY})`;
        return await work();
      } finally {
        await lock`select pg_advisory_unlock(${PREPARE_LOCK_KEY})`;
        lock.release();
      }
    },
    // postgres.js holds one connection of its own for LISTEN and reconnects it when it drops.
    listen: async (channel, onNotify) => {
      const { unlisten } = await client.listen(channel, onNotify);
      return unlisten;
    },
    ping: async () => {
      await client`select 1`;
    },
    close: () => client.end({ timeout: 5 }),
  };
}

/** A URL fit for logs: the password never leaves the process. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(invalid URL)";
  }
}

/**
 * The name of the constraint a failed statement violated, whichever driver raised it (drizzle
 * wraps the driver's error; postgres.js names it `constraint_name`, PGlite `constraint`).
 */
export function violatedConstraint(error: unknown): string | undefined {
  for (let current = error; current instanceof Error; current = current.cause) {
    const named = current as Error & { constraint_name?: string; constraint?: string };
    const name = named.constraint_name ?? named.constraint;
    if (name) return name;
  }
  return undefined;
}
