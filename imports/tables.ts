import { sql } from "drizzle-orm";
import {
  index,
  integer,
  jsonb,
  pgSchema,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import type { ImportReportData } from "./report.js";

/** What the connectors keep about their own work: one row per run. */
export const importsSchema = pgSchema("imports");

export const RUN_STATUSES = ["running", "succeeded", "failed"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/**
 * One import of one source (`connector` + `target`: the API URL, or the EBS instance). The cursor
 * is saved in the same transaction as each batch it covers, so a run that failed resumes after the
 * last batch it wrote.
 */
export const importRuns = importsSchema.table(
  "import_runs",
  {
    id: serial("id").primaryKey(),
    connector: text("connector").notNull(),
    target: text("target").notNull(),
    status: text("status").$type<RunStatus>().notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    /** Last time the run saved a batch: a run "running" without progress for long died with its process. */
    progressAt: timestamp("progress_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    /** How many times a failed run was taken up again. */
    resumed: integer("resumed").notNull().default(0),
    cursor: jsonb("cursor").$type<Record<string, unknown>>(),
    report: jsonb("report").$type<ImportReportData>().notNull(),
    error: text("error"),
  },
  (t) => [
    index("import_runs_target").on(t.connector, t.target, t.id),
    // Two processes never import one source at once.
    uniqueIndex("import_runs_one_running")
      .on(t.connector, t.target)
      .where(sql`${t.status} = 'running'`),
  ],
);
