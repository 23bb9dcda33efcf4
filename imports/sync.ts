import { and, eq, inArray, isNull, type SQL, sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { type Database, violatedConstraint } from "../lib/database.js";
import { textArray } from "../lib/graphql/sql.js";
import { contentVersion, takeIncoming } from "../lib/seed.js";
import { normalizeForSearch } from "../lib/territories.js";
import type { ImportReport } from "./report.js";

/** A table a connector fills: its key, its provenance and the columns of `importedColumns()`. */
export type ImportedTable = PgTable & {
  id: PgColumn;
  sourceId: PgColumn;
  sourceHash: PgColumn;
  withdrawnAt: PgColumn;
};

/** One record read from a source, mapped to the hub's row, with what hangs off it. */
export interface Incoming<Children = undefined> {
  sourceId: string;
  row: { id: string } & Record<string, unknown>;
  children?: Children;
}

export interface BatchOptions<Children> {
  table: ImportedTable;
  /** Its name in the report. */
  entity: string;
  report: ImportReport;
  /** Replaces what hangs off a created or updated row (opening hours, prices...). */
  writeChildren?(tx: Database, record: Incoming<Children>): Promise<void>;
}

/** `Vélos & accessoires` → `velos-accessoires`, the ids the seeds give reference rows. */
export const slugify = (text: string) => normalizeForSearch(text).replaceAll(" ", "-");

/**
 * What went wrong, short and without SQL or parameters (drizzle's "Failed query: …" carries both):
 * the constraint a row broke, or else the message of the innermost cause (the driver's).
 */
export function describeError(error: unknown): string {
  const constraint = violatedConstraint(error);
  if (constraint) return `refused by the constraint ${constraint}`;
  let cause: unknown = error;
  while (cause instanceof Error && cause.cause) cause = cause.cause;
  return cause instanceof Error ? cause.message.split("\n")[0]! : String(cause);
}

/**
 * Whether the database refused the data itself (SQLSTATE class 22, a value out of range; 23, a
 * constraint), which rejects a record, rather than failed (a lost connection), which fails the batch.
 */
export function refusedData(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    const { code } = current as Error & { code?: unknown };
    if (typeof code === "string" && /^2[23][0-9A-Z]{3}$/.test(code)) return true;
  }
  return false;
}

/**
 * Writes a batch inside the caller's transaction. A record whose content hash matches what the
 * row holds is left alone (unchanged); any other is upserted with its children under a savepoint,
 * so that one the database refuses (a constraint) is reported and skipped without undoing the
 * others. Any other failure (a lost connection) fails the batch: it is no fault of the record.
 */
export async function writeBatch<Children>(
  tx: Database,
  records: Incoming<Children>[],
  options: BatchOptions<Children>,
): Promise<void> {
  const { table, entity, report } = options;
  const ids = records.map((r) => r.row.id);
  const existing = ids.length
    ? await tx
        .select({ id: table.id, hash: table.sourceHash, withdrawnAt: table.withdrawnAt })
        .from(table)
        .where(inArray(table.id, ids))
    : [];
  const current = new Map(existing.map((row) => [row.id as string, row]));
  for (const record of records) {
    const hash = contentVersion({ row: record.row, children: record.children ?? null });
    const before = current.get(record.row.id);
    if (before && before.hash === hash && !before.withdrawnAt) {
      report.count(entity, "unchanged");
      continue;
    }
    try {
      await tx.transaction(async (savepoint) => {
        await savepoint
          .insert(table)
          .values({ ...record.row, sourceHash: hash, withdrawnAt: null } as never)
          .onConflictDoUpdate({ target: table.id, set: takeIncoming(table) });
        await options.writeChildren?.(savepoint as unknown as Database, record);
      });
      report.count(entity, before ? "updated" : "created");
    } catch (error) {
      if (!refusedData(error)) throw error;
      report.reject(entity, record.sourceId, describeError(error));
    }
  }
}

/**
 * Marks withdrawn the rows of one source (`scope`) whose id at the source was not seen in a
 * complete run. They stay for statistics and history; listings leave them out.
 */
export async function withdrawMissing(
  tx: Database,
  table: ImportedTable,
  scope: SQL,
  seen: readonly string[],
  entity: string,
  report: ImportReport,
): Promise<void> {
  const withdrawn = await tx
    .update(table)
    .set({ withdrawnAt: new Date() } as never)
    .where(
      and(scope, isNull(table.withdrawnAt), sql`not (${table.sourceId} = any(${textArray(seen)}))`),
    )
    .returning({ id: table.id });
  report.count(entity, "withdrawn", withdrawn.length);
}

/**
 * Upserts a row of a small reference list shared by every source (repairer types, categories),
 * keyed by the slug of its name as the seeds key them: compared column by column, so a row that
 * says the same is left alone, whichever source wrote it first.
 */
export async function upsertReference<Row extends { id: string }>(
  tx: Database,
  table: PgTable & { id: PgColumn },
  row: Row,
  entity: string,
  report: ImportReport,
): Promise<void> {
  const [before] = (await tx
    .select()
    .from(table as never)
    .where(eq(table.id, row.id))) as Record<string, unknown>[];
  if (before && Object.entries(row).every(([key, value]) => before[key] === value)) {
    report.count(entity, "unchanged");
    return;
  }
  const { id: _id, ...changes } = row;
  await tx
    .insert(table)
    .values(row as never)
    .onConflictDoUpdate({ target: table.id, set: changes as never });
  report.count(entity, before ? "updated" : "created");
}
