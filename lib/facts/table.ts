import { eq } from "drizzle-orm";
import { date, type PgSchema, primaryKey, text } from "drizzle-orm/pg-core";
import type { Database } from "../database.js";
import type { Fact } from "./file.js";

/**
 * The `facts` table a subgraph keeps in its own schema: each public fact about one of its records
 * (`subject_type`, `subject_id`), with the page that states it. A record's columns hold the values;
 * this table holds where they come from.
 */
export function factsTable(schema: PgSchema) {
  return schema.table(
    "facts",
    {
      subjectType: text("subject_type").notNull(),
      subjectId: text("subject_id").notNull(),
      field: text("field").notNull(),
      value: text("value").notNull(),
      sourceUrl: text("source_url").notNull(),
      retrievedOn: date("retrieved_on", { mode: "string" }).notNull(),
      note: text("note"),
    },
    (t) => [primaryKey({ columns: [t.subjectType, t.subjectId, t.field] })],
  );
}

export type FactsTable = ReturnType<typeof factsTable>;
export type FactRow = FactsTable["$inferSelect"];

/** A fact's value as text: a list of territories reads `DEP:59, DEP:62`. */
function asText(value: Fact<unknown>["value"]): string {
  return Array.isArray(value) ? value.join(", ") : String(value);
}

/** The rows of one record's facts, in the file's order. */
export function factRows(
  subjectType: string,
  subjectId: string,
  facts: Record<string, Fact<unknown> | undefined>,
): FactRow[] {
  return Object.entries(facts).flatMap(([field, fact]) =>
    fact
      ? [
          {
            subjectType,
            subjectId,
            field,
            value: asText(fact.value),
            sourceUrl: fact.sourceUrl,
            retrievedOn: fact.retrievedOn,
            note: fact.note ?? null,
          },
        ]
      : [],
  );
}

/**
 * Makes the facts of `subjectType` exactly `rows`, inside the seed's transaction: a fact removed
 * from the file is removed here, so that a value without a source never lingers.
 */
export async function replaceFacts(
  tx: Database,
  table: FactsTable,
  subjectType: string,
  rows: FactRow[],
): Promise<void> {
  await tx.delete(table).where(eq(table.subjectType, subjectType));
  if (rows.length) await tx.insert(table).values(rows);
}
