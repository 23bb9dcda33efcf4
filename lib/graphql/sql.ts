import { and, gt, lte, or, type SQL, type SQLWrapper, type Subquery, sql } from "drizzle-orm";
import type { Page } from "./connection.js";

/** A `text[]` literal, e.g. for `= any(...)`; drizzle would otherwise expand a JS array into a list. */
export function textArray(values: readonly string[]): SQL {
  return values.length === 0
    ? sql`array[]::text[]`
    : sql`array[${sql.join(
        values.map((v) => sql`${v}`),
        sql`, `,
      )}]::text[]`;
}

/**
 * Rows whose territory path holds `territoryId` ("in this territory"), written `path @> array[id]`
 * so that the path's GIN index serves it: `id = any(path)` means the same but scans every row.
 */
export function pathContains(path: SQLWrapper, territoryId: SQLWrapper | string): SQL {
  return sql`${path} @> array[${territoryId}::text]`;
}

/** `row_number() over (partition by owner order by ...)` as a plain number on both drivers. */
export function rankOver(owner: SQLWrapper, orderBy: SQL): SQL.Aliased<number> {
  return sql<number>`(row_number() over (partition by ${owner} order by ${orderBy}))::int`
    .mapWith(Number)
    .as("rank");
}

/** `count(*) over (partition by owner)`, the size of each owner's list. */
export function totalOver(owner: SQLWrapper): SQL.Aliased<number> {
  return sql<number>`(count(*) over (partition by ${owner}))::int`.mapWith(Number).as("total");
}

/** Keeps the first row of each list (to carry its total) and the rows of the requested page. */
export function rankedPage(rank: SQLWrapper, page: Page): SQL | undefined {
  return or(
    sql`${rank} = 1`,
    and(gt(rank as never, page.offset), lte(rank as never, page.offset + page.limit)),
  );
}

/**
 * A subquery's columns as a selection, to select them beside more (`select().from(sq)` takes
 * them all but nothing else): each read through the subquery, as `sq.column` is.
 */
export function columnsOf<Fields extends Record<string, unknown>>(
  subquery: Subquery<string, Fields>,
): Fields {
  return Object.fromEntries(
    Object.keys(subquery._.selectedFields).map((key) => [
      key,
      (subquery as unknown as Fields)[key],
    ]),
  ) as Fields;
}
