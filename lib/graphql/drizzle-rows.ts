import * as drizzle from "drizzle-orm";
import type { JsonSelect } from "./json-rows.js";

/**
 * The one place that reads drizzle past its public types: how a select orders its fields, and how
 * it maps a driver row onto them (each column's decoder, then `null` for the absent table of an
 * outer join). Drizzle runs these on every select it executes; it exports them at run time, not
 * in its types. Guarded by batch.e2e.test.ts, which reads every table both ways on both drivers:
 * a drizzle upgrade that changes them fails there.
 */
interface DrizzleInternals {
  orderSelectedFields(fields: Record<string, unknown>): unknown[];
  mapResultRow<Row>(
    fields: unknown[],
    row: unknown[],
    joinsNotNullableMap: Record<string, boolean> | undefined,
  ): Row;
}

/** What a select's builder keeps of its joins: which joined tables may be absent. */
interface SelectInternals {
  joinsNotNullableMap?: Record<string, boolean>;
}

const { orderSelectedFields, mapResultRow } = drizzle as unknown as DrizzleInternals;

/** A select's columns in drizzle's order, and how a row of their values becomes the select's row. */
export interface RowMapping<Row> {
  columns: number;
  map(values: unknown[]): Row;
}

export function rowMapping<Row>(query: JsonSelect<Row>): RowMapping<Row> {
  const { joinsNotNullableMap } = query as unknown as SelectInternals;
  const fields = orderSelectedFields(query._.config.fields);
  return {
    columns: fields.length,
    map: (values) => mapResultRow<Row>(fields, values, joinsNotNullableMap),
  };
}
