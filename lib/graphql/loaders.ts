import DataLoader from "dataloader";
import type { RequestBatch } from "./batch.js";

/** Loads rows by key, one select per batch, `null` where nothing matches. */
export function byKey<Row, Key extends string | number = string>(
  batch: Pick<RequestBatch, "schedule">,
  load: (keys: Key[]) => Promise<Row[]>,
  keyOf: (row: Row) => Key,
) {
  return new DataLoader<Key, Row | null>(
    async (keys) => {
      const rows = await load([...keys]);
      const found = new Map(rows.map((row) => [keyOf(row), row]));
      return keys.map((key) => found.get(key) ?? null);
    },
    { batchScheduleFn: batch.schedule },
  );
}

/** Loads the rows related to each key (`owner`), one select per batch, in the order the query gives. */
export function groupedBy<Row, Key extends string | number = string>(
  batch: Pick<RequestBatch, "schedule">,
  load: (keys: Key[]) => Promise<(Row & { owner: Key })[]>,
) {
  return new DataLoader<Key, Row[]>(
    async (keys) => {
      const groups = new Map<Key, Row[]>(keys.map((key) => [key, []]));
      for (const row of await load([...keys])) groups.get(row.owner)?.push(row);
      return keys.map((key) => groups.get(key)!);
    },
    { batchScheduleFn: batch.schedule },
  );
}
