import { createHash } from "node:crypto";
import { eq, getTableColumns, type SQL, sql } from "drizzle-orm";
import { integer, type PgSchema, type PgTable, text, timestamp } from "drizzle-orm/pg-core";
import type { Database } from "./database.js";

/**
 * The `dataset_imports` table every subgraph keeps in its own schema: which version of each seed
 * or reference dataset it holds, so that a restart loads nothing twice.
 */
export function datasetImportsTable(schema: PgSchema) {
  return schema.table("dataset_imports", {
    dataset: text("dataset").primaryKey(),
    version: text("version").notNull(),
    rows: integer("rows").notNull(),
    importedAt: timestamp("imported_at", { withTimezone: true }).notNull().defaultNow(),
  });
}

type DatasetImports = ReturnType<typeof datasetImportsTable>;

/** A version that changes whenever the data changes: seeds are versioned by their content. */
export function contentVersion(data: unknown): string {
  return createHash("sha256").update(JSON.stringify(data)).digest("hex").slice(0, 16);
}

/**
 * Runs `load` in one transaction unless this version of the dataset is already there. `load`
 * upserts, so a new version updates rows in place and never duplicates them.
 */
export async function loadDatasetOnce(
  db: Database,
  table: DatasetImports,
  dataset: string,
  version: string,
  load: (tx: Database) => Promise<number>,
): Promise<boolean> {
  const [current] = await db.select().from(table).where(eq(table.dataset, dataset));
  if (current?.version === version) return false;
  await db.transaction(async (tx) => {
    const rows = await load(tx as unknown as Database);
    await tx
      .insert(table)
      .values({ dataset, version, rows })
      .onConflictDoUpdate({
        target: table.dataset,
        set: { version, rows, importedAt: new Date() },
      });
  });
  return true;
}

/** The `set` of an upsert that takes every column but the primary key from the incoming row. */
export function takeIncoming(table: PgTable): Record<string, SQL> {
  return Object.fromEntries(
    Object.entries(getTableColumns(table))
      .filter(([, column]) => !column.primary)
      .map(([key, column]) => [key, sql.raw(`excluded."${column.name}"`)]),
  );
}
