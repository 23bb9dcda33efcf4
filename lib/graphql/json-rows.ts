import { type SQL, type SQLWrapper, sql } from "drizzle-orm";
import { rowMapping } from "./drizzle-rows.js";

/**
 * A drizzle select that can travel as JSON inside another statement: `jsonRows` nests it as a
 * column (a list's related rows: a platform's themes), a request batch (`batch.ts`) runs several as one.
 */
export interface JsonSelect<Row> extends SQLWrapper, PromiseLike<Row[]> {
  /** A select's selection, which drizzle's types show (`PgSelect['_']`): what tells a select apart. */
  readonly _: { readonly config: { readonly fields: Record<string, unknown> } };
}

/** The column names the JSON objects carry: `c0`, `c1`... in selection order (joined tables may repeat a name). */
const columnName = (index: number) => `c${index}`;

/** A select as one JSON value, and how to read that value back into the select's rows. */
export interface JsonRows<Row> {
  sql: SQL<Row[]>;
  decode: (value: unknown) => Row[];
}

/**
 * The rows of `query` as one JSON value (`[]` when none), in the query's order, decoded by
 * drizzle's own decoders: JSON keeps the values they expect (`timestamptz` as an ISO string,
 * `date` as `YYYY-MM-DD`, `jsonb` and arrays as values), so rows come back with the same types
 * as from the driver.
 */
export function jsonRowsOf<Row>(query: JsonSelect<Row>): JsonRows<Row> {
  const mapping = rowMapping(query);
  const indexes = Array.from({ length: mapping.columns }, (_, index) => index);
  const decode = (value: unknown): Row[] => {
    // A top-level column arrives as text or parsed depending on the driver; nested in another JSON value, parsed.
    const objects = (typeof value === "string" ? JSON.parse(value) : value) as Record<
      string,
      unknown
    >[];
    return objects.map((object) =>
      mapping.map(indexes.map((index) => object[columnName(index)] ?? null)),
    );
  };
  const names = sql.join(
    indexes.map((index) => sql.identifier(columnName(index))),
    sql`, `,
  );
  // Aggregating a sorted subquery keeps its order (the subquery feeds json_agg directly).
  return {
    sql: sql`(select coalesce(json_agg(q), '[]') from ${query} as q(${names}))`.mapWith(decode),
    decode,
  };
}

/** `jsonRowsOf(query).sql`: a correlated select nests a list's related rows into the list's own statement. */
export function jsonRows<Row>(query: JsonSelect<Row>): SQL<Row[]> {
  return jsonRowsOf(query).sql;
}
