import {
  and,
  asc,
  eq,
  getTableColumns,
  inArray,
  type SQL,
  type SQLWrapper,
  sql,
} from "drizzle-orm";
import type { Database } from "../database.js";
import type { RequestBatch } from "../graphql/batch.js";
import { jsonRows } from "../graphql/json-rows.js";
import { groupedBy } from "../graphql/loaders.js";
import type { FactRow, FactsTable } from "./table.js";

/**
 * The facts of records of one type: `loader`, by the record's id, one statement per batch; `of`, the
 * facts of the record an id column points at, for a list to carry in its own statement and prime
 * the loader with. One query for both, so that they cannot drift apart.
 */
export function factsOfType(
  batch: RequestBatch,
  db: Database,
  table: FactsTable,
  subjectType: string,
) {
  const factsWhere = (which: SQL) =>
    db
      .select({ ...getTableColumns(table), owner: table.subjectId })
      .from(table)
      .where(and(eq(table.subjectType, subjectType), which))
      .orderBy(asc(table.field));
  return {
    loader: groupedBy<FactRow, string>(batch, (ids) =>
      batch.select(factsWhere(inArray(table.subjectId, ids))),
    ),
    of: (id: SQLWrapper) => jsonRows(factsWhere(sql`${table.subjectId} = ${id}`)),
  };
}
