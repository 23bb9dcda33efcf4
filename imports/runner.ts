import type { Database } from "../lib/database.js";
import { ImportReport } from "./report.js";
import { beginRun, finishRun, saveProgress } from "./runs.js";
import { describeError } from "./sync.js";

/** One batch read from a source, ready to be written in one transaction. */
export interface Batch {
  /** Writes the batch (and reports on it) inside the transaction the runner opened. */
  write(tx: Database, report: ImportReport): Promise<void>;
  /** Where the next batch starts (a page URL, the last id read); null after the last one. */
  next: string | null;
  /** Ids at the source of the records read, by entity: what the final withdrawal keeps. */
  seen: Record<string, string[]>;
  size: number;
  total?: number | null;
}

/** A step of an import, e.g. the repairers: read batch after batch from a position. */
export interface Phase {
  name: string;
  read(position: string | null): Promise<Batch>;
}

export interface ImportCursor {
  phase: string;
  position: string | null;
  seen: Record<string, string[]>;
  /** Records read so far in this phase, so that a resumed run's progress counts from there. */
  done?: number;
}

export interface ImportResult {
  runId: number;
  resumed: boolean;
  report: ImportReport;
  maxRejectedShare?: number | undefined;
}

export interface ImportPlan {
  connector: string;
  target: string;
  phases: Phase[];
  /**
   * Once every batch is written: reads what it needs to confirm what the source no longer has
   * (outside any transaction), and returns the write that marks it withdrawn.
   */
  withdraw(seen: Record<string, string[]>): Promise<Batch["write"]>;
  progress(line: string): void;
  /** A run rejecting more than this share of the records it read (or all of them) fails: 0.5 unless said. */
  maxRejectedShare?: number | undefined;
}

export const DEFAULT_MAX_REJECTED_SHARE = 0.5;

/** A run that failed, told by its cause in short; `resumable` when the next run takes up batches it saved. */
export class ImportFailed extends Error {
  constructor(
    readonly resumable: boolean,
    cause: unknown,
  ) {
    super(describeError(cause), { cause });
  }
}

/**
 * A run that read every batch but rejected too many of its records: what it wrote stays, yet a
 * source sending that much it cannot take has changed, and someone must look.
 */
export class TooManyRejected extends Error {
  constructor(readonly result: ImportResult) {
    const { rejectedTotal } = result.report.data;
    const read = result.report.read;
    super(
      rejectedTotal === read
        ? `every record read (${read}) was rejected`
        : `${rejectedTotal} of the ${read} records read were rejected (${Math.round((100 * rejectedTotal) / read)} %), more than the ${Math.round(100 * (result.maxRejectedShare ?? DEFAULT_MAX_REJECTED_SHARE))} % allowed`,
    );
  }
}

/**
 * Runs an import's phases, one transaction per batch that also saves the run's cursor, then the
 * withdrawal in a last transaction. A batch that fails fails the run, and the next run of the
 * same source resumes at that batch with the report and the ids seen so far. A run that rejects
 * too many records ends failed too (`TooManyRejected`), complete: the next one starts over.
 */
export async function runImport(db: Database, plan: ImportPlan): Promise<ImportResult> {
  const run = await beginRun<ImportCursor>(db, plan.connector, plan.target);
  let cursor: ImportCursor = run.cursor ?? {
    phase: plan.phases[0]!.name,
    position: null,
    seen: {},
  };
  if (run.resumed)
    plan.progress(
      `${plan.connector}: resuming run ${run.id} at ${cursor.phase}${cursor.position ? ` (${cursor.position})` : ""}`,
    );
  // A resumed run starts from a saved cursor; a new one has one once its first batch is written.
  let saved = run.resumed;
  const transaction = async (
    work: (tx: Database, report: ImportReport) => Promise<ImportCursor>,
  ) => {
    await db.transaction(async (tx) => {
      const report = new ImportReport(run.report.data);
      const next = await work(tx as unknown as Database, report);
      await saveProgress(tx as unknown as Database, run, next, report);
      cursor = next;
      run.report = report;
    });
    saved = true;
  };

  try {
    // A run that stopped after its last batch has only the withdrawal left.
    const first =
      cursor.phase === "withdraw"
        ? plan.phases.length
        : Math.max(
            0,
            plan.phases.findIndex((p) => p.name === cursor.phase),
          );
    for (const [index, phase] of plan.phases.entries()) {
      if (index < first) continue;
      let position = cursor.phase === phase.name ? cursor.position : null;
      let done = (cursor.phase === phase.name && cursor.done) || 0;
      do {
        const batch = await phase.read(position);
        const read = done + batch.size;
        await transaction(async (tx, report) => {
          await batch.write(tx, report);
          const seen = { ...cursor.seen };
          for (const [entity, ids] of Object.entries(batch.seen))
            seen[entity] = [...(seen[entity] ?? []), ...ids];
          const last = batch.next === null;
          const following = plan.phases[index + 1]?.name ?? "withdraw";
          return last
            ? { phase: following, position: null, seen }
            : { phase: phase.name, position: batch.next, seen, done: read };
        });
        done = read;
        plan.progress(
          `${plan.connector}: ${phase.name.replaceAll("_", " ")} ${done}${batch.total == null ? "" : `/${batch.total}`}`,
        );
        position = batch.next;
      } while (position !== null);
    }
    const withdraw = await plan.withdraw(cursor.seen);
    await transaction(async (tx, report) => {
      await withdraw(tx, report);
      return cursor;
    });
  } catch (error) {
    const failed = new ImportFailed(saved, error);
    await finishRun(db, run, "failed", failed.message);
    throw failed;
  }
  const result = {
    runId: run.id,
    resumed: run.resumed,
    report: run.report,
    maxRejectedShare: plan.maxRejectedShare,
  };
  const { rejectedTotal } = run.report.data;
  const read = run.report.read;
  if (
    rejectedTotal > 0 &&
    (rejectedTotal === read ||
      rejectedTotal > read * (plan.maxRejectedShare ?? DEFAULT_MAX_REJECTED_SHARE))
  ) {
    const failed = new TooManyRejected(result);
    await finishRun(db, run, "failed", failed.message, true);
    throw failed;
  }
  await finishRun(db, run, "succeeded");
  return result;
}
