import { Column, getTableColumns, is, SQL, sql, Subquery, Table, type DriverValueDecoder, type SQLWrapper } from "drizzle-orm";

/**
 * A drizzle select that can travel as JSON inside another statement: `jsonRows` nests it as a
 * column (a list's related rows: a platform's themes), `createCoalescer` runs several as one.
 */
export interface JsonSelect<Row> extends SQLWrapper, PromiseLike<Row[]> {
  readonly _: { readonly config: { readonly fields: Record<string, unknown> } };
}

interface OrderedField {
  path: string[];
  decoder: DriverValueDecoder<unknown, unknown> | undefined;
}

/**
 * The selection in the order drizzle writes its columns (as its internal `orderSelectedFields`),
 * each with the decoder drizzle applies to the driver's value (a column's, or `sql.mapWith`'s).
 */
function orderedFields(fields: Record<string, unknown>, prefix: string[] = []): OrderedField[] {
  return Object.entries(fields).flatMap(([name, field]): OrderedField[] => {
    const path = [...prefix, name];
    if (is(field, Column)) return [{ path, decoder: field }];
    // drizzle keeps `decoder` internal; `sql` without `mapWith` has a pass-through one.
    if (is(field, SQL)) return [{ path, decoder: (field as unknown as { decoder?: DriverValueDecoder<unknown, unknown> }).decoder }];
    if (is(field, SQL.Aliased)) return [{ path, decoder: (field.sql as unknown as { decoder?: DriverValueDecoder<unknown, unknown> }).decoder }];
    if (is(field, Subquery)) return [{ path, decoder: (field._.sql as unknown as { decoder?: DriverValueDecoder<unknown, unknown> }).decoder }];
    if (is(field, Table)) return orderedFields(getTableColumns(field), path);
    return orderedFields(field as Record<string, unknown>, path);
  });
}

/** Whether drizzle turns a joined table's all-null columns into `null` (outer joins), which JSON rows do not. */
export function hasNullableJoins(query: JsonSelect<unknown>): boolean {
  const joins = (query as unknown as { joinsNotNullableMap?: Record<string, boolean> }).joinsNotNullableMap ?? {};
  return Object.values(joins).some((notNullable) => !notNullable);
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
  if (hasNullableJoins(query)) throw new Error("jsonRows: a left, right or full join would need drizzle's nulling of absent tables");
  const fields = orderedFields(query._.config.fields);
  const decode = (value: unknown): Row[] => {
    // A top-level column arrives as text or parsed depending on the driver; nested in another JSON value, parsed.
    const objects = (typeof value === "string" ? JSON.parse(value) : value) as Record<string, unknown>[];
    return objects.map((object) => {
      const row: Record<string, unknown> = {};
      fields.forEach(({ path, decoder }, index) => {
        let node = row;
        for (let depth = 0; depth < path.length - 1; depth++) node = (node[path[depth]!] ??= {}) as Record<string, unknown>;
        const raw = object[columnName(index)] ?? null;
        node[path[path.length - 1]!] = raw === null || !decoder ? raw : decoder.mapFromDriverValue(raw);
      });
      return row as Row;
    });
  };
  const names = sql.join(fields.map((_, index) => sql.identifier(columnName(index))), sql`, `);
  // Aggregating a sorted subquery keeps its order (the subquery feeds json_agg directly).
  return { sql: sql`(select coalesce(json_agg(q), '[]') from ${query} as q(${names}))`.mapWith(decode), decode };
}

/** `jsonRowsOf(query).sql`: a correlated select nests a list's related rows into the list's own statement. */
export function jsonRows<Row>(query: JsonSelect<Row>): SQL<Row[]> {
  return jsonRowsOf(query).sql;
}
