import { Cron } from "croner";
import { type Database, openDatabase } from "../lib/database.js";
import { HUB_TIME_ZONE } from "../lib/time.js";
import { importEbs } from "./ebs/index.js";
import { formatReport } from "./report.js";
import { ImportFailed, type ImportResult, TooManyRejected } from "./runner.js";
import { importRustineLibre } from "./rustine-libre/index.js";

/** One import the hub knows how to run: from the command line, or on its schedule. */
export type ImportJob =
  | { connector: "rustine-libre"; url: string }
  | {
      connector: "ebs";
      instance: string;
      databaseUrl: string;
      territoryId?: string | undefined;
      name?: string | undefined;
    };

export interface JobOptions {
  /** `HUB_PSEUDONYM_SECRET`, needed by EBS imports. */
  pseudonymSecret: string | undefined;
  /** `IMPORT_MAX_REJECTED_PERCENT` as a share: a run rejecting more ends failed. */
  maxRejectedShare?: number | undefined;
  progress?(line: string): void;
}

export async function runJob(
  db: Database,
  job: ImportJob,
  options: JobOptions,
): Promise<ImportResult> {
  if (job.connector === "rustine-libre")
    return importRustineLibre(db, {
      url: job.url,
      maxRejectedShare: options.maxRejectedShare,
      ...(options.progress ? { progress: options.progress } : {}),
    });
  if (!options.pseudonymSecret)
    throw new Error(
      "EBS imports need HUB_PSEUDONYM_SECRET (32+ characters): the key of people's pseudonyms. Keep it: another key makes everyone new.",
    );
  // The instance's database is only read, with a connection or two.
  const source = await openDatabase({ url: job.databaseUrl, poolSize: 2 });
  try {
    return await importEbs(db, {
      instance: job.instance,
      source: source.db,
      pseudonymSecret: options.pseudonymSecret,
      maxRejectedShare: options.maxRejectedShare,
      ...(job.territoryId
        ? { register: { territoryId: job.territoryId, ...(job.name ? { name: job.name } : {}) } }
        : {}),
      ...(options.progress ? { progress: options.progress } : {}),
    });
  } finally {
    await source.close();
  }
}

/**
 * Why a job failed and, for a run that failed, what the next one does: resume after the batches
 * it wrote, or start over when it wrote none. A run that rejected too many records is told with
 * its report. Any other error came before a run began (another process running the same import,
 * a database that is not an EBS one): its own message tells.
 */
export function describeJobFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof TooManyRejected)
    return `${formatReport(error.result.report.data)}\nThe run failed: ${message}. What it wrote is kept; the next run reads the source again from the beginning.`;
  if (!(error instanceof ImportFailed)) return message;
  return `${message}\n${error.resumable ? "The batches written so far are kept: the next run of this import resumes after them." : "Nothing was written: the next run of this import starts from the beginning."}`;
}

/**
 * The imports `IMPORT_SCHEDULE` runs: Rustine Libre when `IMPORT_RUSTINE_LIBRE_URL` is set, and
 * each `slug=postgres://...` of `IMPORT_EBS_DATABASES` (separated by spaces).
 */
export function scheduledJobs(
  rustineLibreUrl: string | undefined,
  ebsDatabases: string | undefined,
): ImportJob[] {
  const jobs: ImportJob[] = rustineLibreUrl
    ? [{ connector: "rustine-libre", url: rustineLibreUrl }]
    : [];
  for (const [index, entry] of (ebsDatabases ?? "").split(/\s+/).filter(Boolean).entries()) {
    const separator = entry.indexOf("=");
    // The entry is not echoed: it may hold a password.
    if (separator <= 0 || separator > entry.indexOf("://"))
      throw new Error(`IMPORT_EBS_DATABASES: entry ${index + 1} is not slug=postgres://...`);
    jobs.push({
      connector: "ebs",
      instance: entry.slice(0, separator),
      databaseUrl: entry.slice(separator + 1),
    });
  }
  return jobs;
}

/**
 * Runs the jobs one after the other at every time of the cron expression (Europe/Paris). A run
 * still going when the next time comes is left to finish (that time is skipped); a job that fails
 * is logged, and the next time resumes it where it stopped. Returns what stops the schedule.
 */
export function startImportSchedule(
  db: Database,
  schedule: string,
  jobs: ImportJob[],
  options: JobOptions & { log(line: string): void },
): () => void {
  if (jobs.length === 0)
    throw new Error(
      "IMPORT_SCHEDULE is set but there is nothing to import: set IMPORT_RUSTINE_LIBRE_URL or IMPORT_EBS_DATABASES.",
    );
  const cron = new Cron(
    schedule,
    { timezone: HUB_TIME_ZONE, protect: true, name: "imports" },
    async () => {
      for (const job of jobs) {
        const name = job.connector === "ebs" ? `ebs ${job.instance}` : job.connector;
        try {
          const { report } = await runJob(db, job, options);
          options.log(`import ${name} done:\n${formatReport(report.data)}`);
        } catch (error) {
          options.log(`import ${name} failed: ${describeJobFailure(error)}`);
        }
      }
    },
  );
  options.log(
    `imports scheduled (${schedule}, Europe/Paris): next at ${cron.nextRun()?.toISOString() ?? "never"}`,
  );
  return () => cron.stop();
}
