import { and, eq, inArray, isNotNull, isNull } from "drizzle-orm";
import type { Database } from "../../lib/database.js";
import { territoryPath } from "../../lib/territories.js";
import {
  bikeTypes,
  closures,
  interventions,
  openingHours,
  repairerBikeTypes,
  repairerCities,
  repairerRepairerTypes,
  repairers,
  repairerTypes,
} from "../../subgraphs/bookings/tables.js";
import { asRecord, MalformedRecord, referenceId, requiredString } from "../fields.js";
import { DEFAULT_FETCH, type FetchOptions, UpstreamError } from "../http.js";
import type { ImportReport } from "../report.js";
import { type Batch, type ImportResult, type Phase, runImport } from "../runner.js";
import { type Incoming, slugify, upsertReference, withdrawMissing, writeBatch } from "../sync.js";
import { HydraClient, type HydraPage } from "./hydra.js";
import {
  mapRepairer,
  type ReferenceIds,
  type RepairerChildren,
  readSummary,
  SOURCE,
} from "./map.js";
import { OptionalCollections } from "./parts.js";

export interface RustineLibreOptions {
  /** The API's base URL, e.g. `https://api.example.org` (collections are `<url>/repairers`...). */
  url: string;
  itemsPerPage?: number;
  fetch?: Partial<FetchOptions>;
  progress?(line: string): void;
  maxRejectedShare?: number | undefined;
}

const REFERENCE_TABLES = { repairer_types: repairerTypes, bike_types: bikeTypes } as const;
const REPAIRER_LISTS = [
  repairerRepairerTypes,
  repairerBikeTypes,
  repairerCities,
  openingHours,
  closures,
  interventions,
] as const;

/**
 * Imports Rustine Libre's repairer types, bike types and repairers into the bookings schema, a
 * page per transaction. A page on which the source fails (after its retries), for the page or
 * for any repairer on it, stops the run; the next run starts again at that page.
 */
export async function importRustineLibre(
  db: Database,
  options: RustineLibreOptions,
): Promise<ImportResult> {
  const progress = options.progress ?? (() => {});
  const fetchOptions: FetchOptions = {
    ...DEFAULT_FETCH,
    ...options.fetch,
    onRetry: (line) => progress(`${SOURCE}: ${line}`),
  };
  const client = new HydraClient(options.url, fetchOptions, options.itemsPerPage ?? 30);
  const parts = new OptionalCollections(client);
  const pages = (
    name: keyof typeof REFERENCE_TABLES | "repairers",
    write: (page: HydraPage) => Promise<Omit<Batch, "next" | "size" | "total">>,
  ): Phase => {
    const read = new Set<string>();
    return {
      name,
      read: async (position) => {
        const page = await client.page(position ?? client.collectionUrl(`/${name}`), read);
        return {
          ...(await write(page)),
          next: page.next,
          size: page.members.length,
          total: page.totalItems,
        };
      },
    };
  };
  const referencePhase = (name: keyof typeof REFERENCE_TABLES) =>
    pages(name, async (page) => ({
      seen: {},
      write: (tx, report) => writeReferenceRows(tx, name, page.members, report),
    }));

  return runImport(db, {
    connector: SOURCE,
    target: options.url.replace(/\/+$/, ""),
    phases: [
      referencePhase("repairer_types"),
      referencePhase("bike_types"),
      pages("repairers", (page) => prepareRepairers(db, client, parts, page.members)),
    ],
    withdraw: async (seen) => {
      const { reread, unconfirmed } = await checkUnseen(
        db,
        client,
        parts,
        seen.repairers ?? [],
        progress,
      );
      const kept = [
        ...(seen.repairers ?? []),
        ...reread.seen.repairers!,
        ...unconfirmed.map(([id]) => id),
      ];
      return async (tx, report) => {
        for (const [id, reason] of unconfirmed)
          report.warn(
            "repairers",
            id,
            `not withdrawn: its absence could not be confirmed (${reason})`,
          );
        await reread.write(tx, report);
        await withdrawMissing(
          tx,
          repairers,
          eq(repairers.source, SOURCE),
          kept,
          "repairers",
          report,
        );
      };
    },
    progress,
    maxRejectedShare: options.maxRejectedShare,
  });
}

/** Repairer and bike types, keyed in the hub by the slug of their name (as the seed has them). */
async function writeReferenceRows(
  tx: Database,
  entity: keyof typeof REFERENCE_TABLES,
  members: unknown[],
  report: ImportReport,
): Promise<void> {
  for (const member of members) {
    try {
      const record = asRecord(member);
      const sourceId = referenceId(record.id ?? record["@id"]);
      if (!sourceId) throw new MalformedRecord("id is missing");
      const name = requiredString(record, "name");
      await upsertReference(
        tx,
        REFERENCE_TABLES[entity],
        { id: slugify(name), name, source: SOURCE, sourceId },
        entity,
        report,
      );
    } catch (error) {
      if (!(error instanceof MalformedRecord)) throw error;
      report.reject(entity, referenceId(member) ?? "?", error.message);
    }
  }
}

/**
 * Asks the source about each repairer of the hub that a complete run did not list. Pages are
 * numbered, so one deleted during a run (or before a failed run resumes) shifts the next ones back
 * a page, and one of them goes unread: only a repairer answering 404 or 410 is gone. One that
 * answers is re-read (and kept); one the source answers otherwise about (a 403) is kept as it is.
 * An outage fails the run before anything is withdrawn: the next run takes up the withdrawal.
 */
async function checkUnseen(
  db: Database,
  client: HydraClient,
  parts: OptionalCollections,
  seen: string[],
  progress: (line: string) => void,
) {
  const listed = new Set(seen);
  const rows = await db
    .select({ sourceId: repairers.sourceId })
    .from(repairers)
    .where(and(eq(repairers.source, SOURCE), isNull(repairers.withdrawnAt)));
  const unseen = rows.flatMap((r) =>
    r.sourceId !== null && !listed.has(r.sourceId) ? [r.sourceId] : [],
  );
  if (unseen.length)
    progress(`${SOURCE}: ${unseen.length} repairer(s) not listed, asked one by one`);
  const present = new Map<string, unknown>();
  const unconfirmed: [string, string][] = [];
  for (const id of unseen) {
    try {
      present.set(id, await client.get(client.resourceUrl(`/repairers/${id}`)));
    } catch (error) {
      if (!(error instanceof UpstreamError)) throw error;
      if (error.status !== 404 && error.status !== 410) unconfirmed.push([id, error.message]);
    }
  }
  return {
    reread: await prepareRepairers(db, client, parts, [...present.values()], present),
    unconfirmed,
  };
}

/**
 * Reads each repairer of a page before any transaction opens: its own fields first, so that a
 * disabled one is skipped and a malformed one rejected without another request; then its detail
 * (unless `details` has it already) and the parts the source serves (opening hours, closures,
 * prices). A repairer skipped or rejected is still seen: it is at the source, so it is not
 * withdrawn. An outage is thrown: no repairer is rejected for it.
 */
async function prepareRepairers(
  db: Database,
  client: HydraClient,
  parts: OptionalCollections,
  members: unknown[],
  details = new Map<string, unknown>(),
): Promise<Omit<Batch, "next" | "size" | "total">> {
  const refs = await referenceIds(db);
  const records: Incoming<RepairerChildren>[] = [];
  const rejections: [string, string][] = [];
  const warnings: [string, string][] = [];
  const disabled: string[] = [];
  const seen: string[] = [];
  for (const member of members) {
    const sourceId = referenceId(member);
    if (sourceId) seen.push(sourceId);
    try {
      const summary = readSummary(asRecord(member));
      if (!summary) {
        disabled.push(sourceId!);
        continue;
      }
      const warn = (reason: string) => warnings.push([summary.sourceId, reason]);
      const id = summary.sourceId;
      const [detail, openingHours, closures, prices] = await Promise.all([
        details.get(id) ?? client.get(client.resourceUrl(`/repairers/${id}`)),
        parts.read("/repairer_opening_hours", { repairer: id }, warn),
        parts.read("/repairer_exceptional_closures", { repairer: id }, warn),
        parts.prices(id, summary.owner, warn),
      ]);
      records.push(
        mapRepairer(
          summary,
          asRecord(detail, "repairer detail"),
          { openingHours, closures, prices },
          refs,
          warn,
        ),
      );
    } catch (error) {
      if (!(error instanceof MalformedRecord || error instanceof UpstreamError)) throw error;
      rejections.push([sourceId ?? "?", error.message]);
    }
  }
  return {
    seen: { repairers: seen },
    write: async (tx, report) => {
      for (const [id, reason] of rejections) report.reject("repairers", id, reason);
      for (const [route, reason] of parts.warnings()) report.warn("repairers", route, reason);
      for (const [id, reason] of warnings) report.warn("repairers", id, reason);
      await disableRepairers(tx, disabled, report);
      await writeBatch(tx, records, {
        table: repairers,
        entity: "repairers",
        report,
        writeChildren: writeRepairerLists,
      });
    },
  };
}

/**
 * Repairers disabled at the source are skipped; one the hub had imported is disabled there too,
 * so that the gateway lists it no more. Its hash is cleared: enabled again, it is written anew.
 */
async function disableRepairers(tx: Database, ids: string[], report: ImportReport) {
  report.count("repairers", "skipped", ids.length);
  if (ids.length)
    await tx
      .update(repairers)
      .set({ enabled: false, sourceHash: null })
      .where(
        and(
          eq(repairers.source, SOURCE),
          inArray(repairers.sourceId, ids),
          eq(repairers.enabled, true),
        ),
      );
}

async function referenceIds(db: Database): Promise<ReferenceIds> {
  const read = async (table: typeof repairerTypes | typeof bikeTypes) =>
    new Map(
      (
        await db
          .select({ id: table.id, sourceId: table.sourceId })
          .from(table)
          .where(and(eq(table.source, SOURCE), isNotNull(table.sourceId)))
      ).map((r) => [r.sourceId!, r.id]),
    );
  return { repairerTypes: await read(repairerTypes), bikeTypes: await read(bikeTypes) };
}

/** A repairer's lists are replaced whole: the source may have dropped an opening slot or a price. */
async function writeRepairerLists(
  tx: Database,
  { row, children }: Incoming<RepairerChildren>,
): Promise<void> {
  const repairerId = row.id;
  const lists = children!;
  for (const table of REPAIRER_LISTS)
    await tx.delete(table).where(eq(table.repairerId, repairerId));
  const insert = async <T extends object>(table: (typeof REPAIRER_LISTS)[number], rows: T[]) => {
    if (rows.length) await tx.insert(table).values(rows as never);
  };
  await insert(
    repairerRepairerTypes,
    lists.repairerTypeIds.map((repairerTypeId) => ({ repairerId, repairerTypeId })),
  );
  await insert(
    repairerBikeTypes,
    lists.bikeTypeIds.map((bikeTypeId) => ({ repairerId, bikeTypeId })),
  );
  await insert(
    repairerCities,
    lists.cityIds.map((territoryId) => ({
      repairerId,
      territoryId,
      territoryPath: territoryPath(territoryId),
    })),
  );
  await insert(
    openingHours,
    lists.hours.map((h) => ({ repairerId, ...h })),
  );
  await insert(
    closures,
    lists.closures.map((c) => ({ repairerId, ...c })),
  );
  await insert(
    interventions,
    lists.interventions.map((i) => ({ repairerId, ...i })),
  );
}
