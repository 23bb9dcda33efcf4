import { and, eq, isNotNull } from "drizzle-orm";
import type { Database } from "../../lib/database.js";
import {
  bikeTypes,
  closures,
  interventions,
  openingHours,
  repairerBikeTypes,
  repairerCities,
  repairerRepairerTypes,
  repairerTypes,
  repairers,
} from "../../subgraphs/bookings/tables.js";
import { territoryPath } from "../../lib/territories.js";
import { asRecord, MalformedRecord, referenceId, requiredString } from "../fields.js";
import { DEFAULT_FETCH, UpstreamError, type FetchOptions } from "../http.js";
import { ImportReport } from "../report.js";
import { beginRun, finishRun, saveProgress } from "../runs.js";
import { slugify, withdrawMissing, writeBatch, type Incoming } from "../sync.js";
import { HydraClient, type HydraPage } from "./hydra.js";
import { mapRepairer, SOURCE, type ReferenceIds, type RepairerChildren } from "./map.js";

export interface RustineLibreOptions {
  /** The API's base URL, e.g. `https://api.example.org` (collections are `<url>/repairers`...). */
  url: string;
  itemsPerPage?: number;
  fetch?: Partial<FetchOptions>;
  progress?(line: string): void;
}

const PHASES = ["repairer_types", "bike_types", "repairers", "withdraw"] as const;
type Phase = (typeof PHASES)[number];

/** Where a run is: its phase, the next page to read, and the repairers seen so far. */
export interface RustineCursor {
  phase: Phase;
  next: string | null;
  seen: string[];
}

export interface ImportResult {
  runId: number;
  resumed: boolean;
  report: ImportReport;
}

const REFERENCE_TABLES = { repairer_types: repairerTypes, bike_types: bikeTypes } as const;
const REPAIRER_LISTS = [repairerRepairerTypes, repairerBikeTypes, repairerCities, openingHours, closures, interventions] as const;

/**
 * Imports Rustine Libre's repairer types, bike types and repairers into the bookings schema, a
 * page per transaction, the run's cursor saved with each page. A failure (a page still failing
 * after its retries) stops the run: the next run starts again at that page.
 */
export async function importRustineLibre(db: Database, options: RustineLibreOptions): Promise<ImportResult> {
  const progress = options.progress ?? (() => {});
  const fetchOptions: FetchOptions = { ...DEFAULT_FETCH, ...options.fetch, onRetry: (line) => progress(`rustine-libre: ${line}`) };
  const client = new HydraClient(options.url, fetchOptions, options.itemsPerPage ?? 30);
  const run = await beginRun<RustineCursor>(db, SOURCE, options.url.replace(/\/+$/, ""));
  let cursor: RustineCursor = run.cursor ?? { phase: "repairer_types", next: null, seen: [] };
  if (run.resumed) progress(`rustine-libre: resuming run ${run.id} at ${cursor.phase}${cursor.next ? ` (${cursor.next})` : ""}`);

  try {
    for (const phase of PHASES.slice(PHASES.indexOf(cursor.phase))) {
      if (phase === "withdraw") {
        await db.transaction(async (tx) => {
          const report = new ImportReport(run.report.data);
          await withdrawMissing(tx as unknown as Database, repairers, eq(repairers.source, SOURCE), cursor.seen, "repairers", report);
          run.report = report;
        });
        continue;
      }
      let url: string | null = cursor.phase === phase && cursor.next ? cursor.next : client.collectionUrl(`/${phase}`);
      let done = 0;
      while (url) {
        const page: HydraPage = await client.page(url);
        const seen: string[] = [];
        const write =
          phase === "repairers"
            ? await prepareRepairers(db, client, page, seen)
            : (tx: Database, report: ImportReport) => writeReferenceRows(tx, phase, page.members, report);
        await db.transaction(async (transaction) => {
          const tx = transaction as unknown as Database;
          const report = new ImportReport(run.report.data);
          await write(tx, report);
          const next: RustineCursor = { phase, next: page.next, seen: [...cursor.seen, ...seen] };
          await saveProgress(tx, run, next, report);
          cursor = next;
          run.report = report;
        });
        done += page.members.length;
        progress(`rustine-libre: ${phase.replace("_", " ")} ${done}${page.totalItems === null ? "" : `/${page.totalItems}`}`);
        url = page.next;
      }
      cursor = { phase: PHASES[PHASES.indexOf(phase) + 1]!, next: null, seen: cursor.seen };
    }
    await finishRun(db, run, "succeeded");
  } catch (error) {
    await finishRun(db, run, "failed", error instanceof Error ? error.message : String(error));
    throw error;
  }
  return { runId: run.id, resumed: run.resumed, report: run.report };
}

/** Repairer and bike types, keyed in the hub by the slug of their name (as the seed has them). */
async function writeReferenceRows(tx: Database, phase: "repairer_types" | "bike_types", members: unknown[], report: ImportReport): Promise<void> {
  const table = REFERENCE_TABLES[phase];
  for (const member of members) {
    let row: { id: string; name: string; source: string; sourceId: string };
    try {
      const record = asRecord(member);
      const sourceId = referenceId(record.id ?? record["@id"]);
      if (!sourceId) throw new MalformedRecord("id is missing");
      const name = requiredString(record, "name");
      row = { id: slugify(name), name, source: SOURCE, sourceId };
    } catch (error) {
      if (!(error instanceof MalformedRecord)) throw error;
      report.reject(phase, referenceId(member) ?? "?", error.message);
      continue;
    }
    const [before] = await tx.select().from(table).where(eq(table.id, row.id));
    if (before && before.name === row.name && before.source === row.source && before.sourceId === row.sourceId) {
      report.count(phase, "unchanged");
      continue;
    }
    await tx.insert(table).values(row).onConflictDoUpdate({ target: table.id, set: { name: row.name, source: row.source, sourceId: row.sourceId } });
    report.count(phase, before ? "updated" : "created");
  }
}

/**
 * Reads what each repairer of a page needs (its detail, opening hours, closures, prices) before
 * any transaction opens, and maps it; returns the writer of the page. A repairer that cannot be
 * read or mapped is rejected, but still counted as seen: it is at the source, so not withdrawn.
 */
async function prepareRepairers(db: Database, client: HydraClient, page: HydraPage, seen: string[]) {
  const refs = await referenceIds(db);
  const records: Incoming<RepairerChildren>[] = [];
  const rejections: [string, string][] = [];
  const warnings: [string, string][] = [];
  for (const member of page.members) {
    const sourceId = referenceId(member) ?? "?";
    try {
      const summary = asRecord(member);
      const id = referenceId(summary.id ?? summary["@id"]);
      if (!id) throw new MalformedRecord("id is missing");
      seen.push(id);
      const owner = referenceId(summary.owner);
      const [detail, hours, closed, priced] = await Promise.all([
        client.get(client.resourceUrl(`/repairers/${id}`)),
        client.all(client.collectionUrl("/repairer_opening_hours", { repairer: id })),
        client.all(client.collectionUrl("/repairer_exceptional_closures", { repairer: id })),
        owner ? client.all(client.collectionUrl("/interventions", { owner })) : Promise.resolve([]),
      ]);
      records.push(
        mapRepairer({ summary, detail: asRecord(detail, "repairer detail"), openingHours: hours, closures: closed, interventions: priced }, refs, (reason) =>
          warnings.push([id, reason]),
        ),
      );
    } catch (error) {
      if (!(error instanceof MalformedRecord || error instanceof UpstreamError)) throw error;
      rejections.push([sourceId, error.message]);
    }
  }
  return async (tx: Database, report: ImportReport) => {
    for (const [id, reason] of rejections) report.reject("repairers", id, reason);
    for (const [id, reason] of warnings) report.warn("repairers", id, reason);
    await writeBatch(tx, records, { table: repairers, entity: "repairers", report, writeChildren: writeRepairerLists });
  };
}

async function referenceIds(db: Database): Promise<ReferenceIds> {
  const read = async (table: typeof repairerTypes | typeof bikeTypes) =>
    new Map(
      (await db.select({ id: table.id, sourceId: table.sourceId }).from(table).where(and(eq(table.source, SOURCE), isNotNull(table.sourceId)))).map((r) => [
        r.sourceId!,
        r.id,
      ]),
    );
  return { repairerTypes: await read(repairerTypes), bikeTypes: await read(bikeTypes) };
}

/** A repairer's lists are replaced whole: the source may have dropped an opening slot or a price. */
async function writeRepairerLists(tx: Database, { row, children }: Incoming<RepairerChildren>): Promise<void> {
  const repairerId = row.id;
  const lists = children!;
  for (const table of REPAIRER_LISTS) await tx.delete(table).where(eq(table.repairerId, repairerId));
  const insert = async <T extends object>(table: (typeof REPAIRER_LISTS)[number], rows: T[]) => {
    if (rows.length) await tx.insert(table).values(rows as never);
  };
  await insert(repairerRepairerTypes, lists.repairerTypeIds.map((repairerTypeId) => ({ repairerId, repairerTypeId })));
  await insert(repairerBikeTypes, lists.bikeTypeIds.map((bikeTypeId) => ({ repairerId, bikeTypeId })));
  await insert(repairerCities, lists.cityIds.map((territoryId) => ({ repairerId, territoryId, territoryPath: territoryPath(territoryId) })));
  await insert(openingHours, lists.hours.map((h) => ({ repairerId, ...h })));
  await insert(closures, lists.closures.map((c) => ({ repairerId, ...c })));
  await insert(interventions, lists.interventions.map((i) => ({ repairerId, ...i })));
}
