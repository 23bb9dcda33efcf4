import { and, asc, eq, getTableColumns, inArray } from "drizzle-orm";
import type { Database } from "../database.js";
import type { RequestBatch } from "../graphql/batch.js";
import { groupedBy } from "../graphql/loaders.js";
import type { FactRow, FactsTable } from "./table.js";

/** The facts of records of one type, by the record's id: one statement per batch. */
export function factsLoader(
  batch: RequestBatch,
  db: Database,
  table: FactsTable,
  subjectType: string,
) {
  return groupedBy<FactRow, string>(batch, (ids) =>
    batch.select(
      db
        .select({ ...getTableColumns(table), owner: table.subjectId })
        .from(table)
        .where(and(eq(table.subjectType, subjectType), inArray(table.subjectId, ids)))
        .orderBy(asc(table.field)),
    ),
  );
}
