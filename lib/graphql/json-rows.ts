import * as drizzle from "drizzle-orm";
import { type SQL, type SQLWrapper, sql } from "drizzle-orm";

/**
 * A drizzle select that can travel as JSON inside another statement: `jsonRows` nests it as a
 * column (a list's related rows: a platform's themes), a request batch (`batch.ts`) runs several as one.
 */
export interface JsonSelect<Row> extends SQLWrapper, PromiseLike<Row[]> {
  readonly _: { readonly config: { readonly fields: Record<string, unknown> } };
}

/** What drizzle's query builder keeps of a select, read here as drizzle reads it itself. */
interface SelectInternals {
  joinsNotNullableMap?: Record<string, boolean>;
}

type SelectedField = { path: string[]; field: unknown };

// drizzle's own ordering of a selection and its mapping of a driver row (decoders, then `null` for
// the absent table of an outer join): exported at run time, not in its types.
const { orderSelectedFields, mapResultRow } = drizzle as unknown as {
  orderSelectedFields(fields: Record<string, unknown>): SelectedField[];
  mapResultRow<Row>(
    fields: SelectedField[],
    row: unknown[],
    joinsNotNullableMap: Record<string, boolean> | undefined,
  ): Row;
};

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
  const fields = orderSelectedFields(query._.config.fields);
  const { joinsNotNullableMap } = query as unknown as SelectInternals;
  const decode = (value: unknown): Row[] => {
    // A top-level column arrives as text or parsed depending on the driver; nested in another JSON value, parsed.
    const objects = (typeof value === "string" ? JSON.parse(value) : value) as Record<
      string,
      unknown
    >[];
    return objects.map((object) =>
      mapResultRow<Row>(
        fields,
        fields.map((_, index) => object[columnName(index)] ?? null),
        joinsNotNullableMap,
      ),
    );
  };
  const names = sql.join(
    fields.map((_, index) => sql.identifier(columnName(index))),
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
