import { and, desc, eq } from "drizzle-orm";
import { type Database, violatedConstraint } from "../lib/database.js";
import { describeCounts, ImportReport, OUTCOMES } from "./report.js";
import { importRuns, type RunStatus } from "./tables.js";

export type ImportRunRow = typeof importRuns.$inferSelect;

/** A run under way: where it is (the cursor it last saved) and what it did so far. */
export interface Run<Cursor> {
  id: number;
  cursor: Cursor | null;
  report: ImportReport;
  /** True when this run takes up one that failed, from its last saved cursor. */
  resumed: boolean;
}

/** A run that saved nothing for this long died with its process (a batch takes a few minutes at most). */
export const STALE_AFTER_MS = 15 * 60_000;

/** Another process is importing the same source. */
export class RunInProgress extends Error {}

/**
 * Starts an import of one source, or takes up the last one if it did not finish: its cursor and
 * its report so far carry on, so that the batches it wrote are neither read nor counted twice.
 * Refused while another process runs the same import (a unique index holds one running run per
 * source); a run left "running" by a process that died is taken up once it is stale.
 */
export async function beginRun<Cursor>(
  db: Database,
  connector: string,
  target: string,
): Promise<Run<Cursor>> {
  const [last] = await db
    .select()
    .from(importRuns)
    .where(and(eq(importRuns.connector, connector), eq(importRuns.target, target)))
    .orderBy(desc(importRuns.id))
    .limit(1);
  const busy = () =>
    new RunInProgress(
      `Run #${last!.id} of ${connector} ${target} is still going (last progress ${last!.progressAt.toISOString()}): try again once it has finished.`,
    );
  if (last?.status === "running" && Date.now() - last.progressAt.getTime() < STALE_AFTER_MS)
    throw busy();
  if (last && last.status !== "succeeded" && (last.cursor || last.status === "running")) {
    // Compared with what was read: of two processes taking up the same run, one only gets it.
    const [taken] = await db
      .update(importRuns)
      .set(
        last.cursor
          ? {
              status: "running",
              resumed: last.resumed + 1,
              error: null,
              finishedAt: null,
              progressAt: new Date(),
            }
          : {
              status: "failed",
              resumed: last.resumed + 1,
              error: "interrupted",
              finishedAt: new Date(),
            },
      )
      .where(
        and(
          eq(importRuns.id, last.id),
          eq(importRuns.status, last.status),
          eq(importRuns.resumed, last.resumed),
        ),
      )
      .returning({ id: importRuns.id });
    if (!taken) throw busy();
    if (last.cursor)
      return {
        id: last.id,
        cursor: last.cursor as Cursor,
        report: new ImportReport(last.report),
        resumed: true,
      };
  }
  const report = new ImportReport();
  try {
    const [row] = await db
      .insert(importRuns)
      .values({ connector, target, status: "running", report: report.data })
      .returning({ id: importRuns.id });
    return { id: row!.id, cursor: null, report, resumed: false };
  } catch (error) {
    if (violatedConstraint(error) === "import_runs_one_running")
      throw new RunInProgress(
        `An import of ${connector} ${target} has just started in another process.`,
      );
    throw error;
  }
}

/** Saves where the run is, inside the transaction of the batch it has just written. */
export async function saveProgress<Cursor>(
  tx: Database,
  run: Run<Cursor>,
  cursor: Cursor,
  report: ImportReport,
): Promise<void> {
  await tx
    .update(importRuns)
    .set({ cursor: cursor as Record<string, unknown>, report: report.data, progressAt: new Date() })
    .where(eq(importRuns.id, run.id));
}

export async function finishRun(
  db: Database,
  run: Run<unknown>,
  status: Exclude<RunStatus, "running">,
  error?: string,
  /** Every batch was read: nothing to resume (a failed run that is not complete keeps its cursor). */
  complete = status === "succeeded",
): Promise<void> {
  await db
    .update(importRuns)
    .set({
      status,
      finishedAt: new Date(),
      error: error ?? null,
      report: run.report.data,
      ...(complete ? { cursor: null } : {}),
    })
    .where(eq(importRuns.id, run.id));
}

/** The most recent runs, newest first (`hub import status`). */
export function lastRuns(db: Database, limit = 20): Promise<ImportRunRow[]> {
  return db.select().from(importRuns).orderBy(desc(importRuns.id)).limit(limit);
}

/** One line (two when it failed) for `hub import status`. */
export function describeRun(run: ImportRunRow): string {
  const report = new ImportReport(run.report);
  const totals = Object.fromEntries(OUTCOMES.map((outcome) => [outcome, report.total(outcome)]));
  const seconds = run.finishedAt
    ? ` in ${((run.finishedAt.getTime() - run.startedAt.getTime()) / 1000).toFixed(1)} s`
    : "";
  const resumed = run.resumed ? `, resumed ${run.resumed}×` : "";
  return (
    `#${run.id} ${run.connector} ${run.target} ${run.status} ${run.startedAt.toISOString()}${seconds}${resumed}: ` +
    `${describeCounts(totals)}, ${run.report.rejectedTotal} rejected of ${report.read} read` +
    (run.error ? `\n    ${run.error}` : "")
  );
}
