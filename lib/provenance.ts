import { text, timestamp } from "drizzle-orm/pg-core";

/**
 * Columns of every table that a connector fills from a platform (see `imports/`), next to its
 * `source` and `source_id`: the hash of what the source last said, so that an unchanged record is
 * not written again, and when the record disappeared from the source. A withdrawn row is no longer
 * listed, but statistics and history keep it.
 */
export function importedColumns() {
  return {
    sourceHash: text("source_hash"),
    withdrawnAt: timestamp("withdrawn_at", { withTimezone: true }),
  };
}
