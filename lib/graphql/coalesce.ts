import { sql } from "drizzle-orm";
import { type Database, resultRows } from "../database.js";
import { type JsonSelect, jsonRowsOf } from "./json-rows.js";

/** Runs a select: alone, or with the others asked for in the same turn of the event loop. */
export type RunSelect = <Row>(query: JsonSelect<Row>) => Promise<Row[]>;

interface Waiting {
  query: JsonSelect<unknown>;
  resolve: (rows: unknown[]) => void;
  reject: (error: unknown) => void;
}

/**
 * One per request. The sibling fields of a fetch (a territory's places, instances and products)
 * each dispatch their DataLoader batch in the same turn; instead of one statement each, they go
 * out as one, `select (json of select 1) as r0, (json of select 2) as r1...`, and each select's
 * rows are decoded by drizzle's own decoders, so every loader stays a plain loader.
 */
export function createCoalescer(db: Database): RunSelect {
  let waiting: Waiting[] = [];

  const runAlone = ({ query, resolve, reject }: Waiting) => {
    query.then(resolve, reject);
  };

  const flush = async () => {
    const batch = waiting;
    waiting = [];
    if (batch.length === 1) return runAlone(batch[0]!);
    try {
      const parts = batch.map(({ query }) => jsonRowsOf(query));
      const columns = parts.map(
        (part, index) => sql`${part.sql} as ${sql.identifier(`r${index}`)}`,
      );
      const [row] = resultRows<Record<string, unknown>>(
        await db.execute(sql`select ${sql.join(columns, sql`, `)}`),
      );
      const decoded = parts.map((part, index) => part.decode(row![`r${index}`]));
      for (const [index, { resolve }] of batch.entries()) resolve(decoded[index]!);
    } catch {
      // One failing select must not fail its siblings: each runs again alone and keeps its own error.
      batch.forEach(runAlone);
    }
  };

  return <Row>(query: JsonSelect<Row>) =>
    new Promise<Row[]>((resolve, reject) => {
      const entry = { query, resolve, reject } as Waiting;
      // DataLoader dispatches each batch in a process.nextTick queued while the resolvers of a turn
      // run; called from the first of them, this tick runs after the others, without waiting for
      // the event loop to come round (setImmediate) as the database calls of other requests do.
      if (waiting.length === 0) process.nextTick(() => void flush());
      waiting.push(entry);
    });
}
