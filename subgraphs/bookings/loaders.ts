import DataLoader from "dataloader";
import {
  and,
  asc,
  count,
  eq,
  getTableColumns,
  gte,
  inArray,
  isNull,
  lt,
  type SQL,
  sql,
} from "drizzle-orm";
import type { Database } from "../../lib/database.js";
import { createRequestBatch } from "../../lib/graphql/batch.js";
import { jsonRows } from "../../lib/graphql/json-rows.js";
import { byKey, groupedBy } from "../../lib/graphql/loaders.js";
import { createPageLoader, rankedLists } from "../../lib/graphql/paged-loader.js";
import {
  columnsOf,
  pathContains,
  rankedPage,
  rankOver,
  textArray,
  totalOver,
} from "../../lib/graphql/sql.js";
import type { SubgraphContext } from "../../lib/subgraph.js";
import {
  appointments,
  bikeTypes,
  closures,
  customers,
  interventions,
  openingHours,
  prestations,
  repairerBikeTypes,
  repairerCities,
  repairerRepairerTypes,
  repairers,
  repairerTypes,
} from "./tables.js";
import type {
  BikeTypeRow,
  ClosureRow,
  CustomerRow,
  InterventionRow,
  OpeningHoursRow,
  PrestationRow,
  RepairerRow,
  RepairerTypeRow,
} from "./types.js";
import { ACTIVE_STATUSES } from "./workflow.js";

export interface RepairerFilters {
  bikeTypeId: string | null;
  repairerTypeId: string | null;
}

/**
 * A page of repairers, and what the query asks of them, read in the page's statement: `schedule`
 * (opening hours and closures, which free slots are computed from), `bookedBetween` (their bookings
 * in the window of the next free slot).
 */
export interface RepairersRequest extends RepairerFilters {
  schedule: boolean;
  bookedBetween: { from: Date; to: Date } | null;
}

/** Opening hours in the order slots are computed from. */
const openingHoursOrder = [asc(openingHours.weekday), asc(openingHours.startTime)];

/** Active appointments per slot instant. */
const bookedFields = { slotTime: appointments.slotTime, n: count() };

/** A repairer's active appointments between two instants, for availability. */
export interface BookedWindow {
  repairerId: string;
  from: Date;
  to: Date;
}

/** Repairers clients may see and book: validated by an admin, and still at their source. */
export const isListed = and(eq(repairers.enabled, true), isNull(repairers.withdrawnAt))!;

/** Appointments that hold a place in their slot. */
export const isActive = inArray(appointments.status, [...ACTIVE_STATUSES]);

/** The owners of a batch of page requests, as a table `o(owner)` to join against. */
const ownersTable = (owners: string[]) => sql`unnest(${textArray(owners)}) as o(owner)`;
const owner = sql<string>`o.owner`;

/**
 * Enabled repairers located in the territory `o.owner` or in a territory it contains, plus the
 * itinerant repairers serving a commune there: each one served by its GIN index.
 */
function servesOwner(): SQL {
  return sql`${isListed} and (${pathContains(repairers.territoryPath, owner)} or exists (
    select 1 from ${repairerCities} where ${repairerCities.repairerId} = ${repairers.id} and ${pathContains(repairerCities.territoryPath, owner)}))`;
}

function matchesFilters({ bikeTypeId, repairerTypeId }: RepairerFilters): SQL | undefined {
  return and(
    bikeTypeId === null
      ? undefined
      : sql`exists (select 1 from ${repairerBikeTypes} where ${repairerBikeTypes.repairerId} = ${repairers.id} and ${repairerBikeTypes.bikeTypeId} = ${bikeTypeId})`,
    repairerTypeId === null
      ? undefined
      : sql`exists (select 1 from ${repairerRepairerTypes} where ${repairerRepairerTypes.repairerId} = ${repairers.id} and ${repairerRepairerTypes.repairerTypeId} = ${repairerTypeId})`,
  );
}

export function createLoaders(db: Database) {
  const batch = createRequestBatch(db);
  const { select } = batch;
  // What free slots are computed from, of the repairers `which` picks: one query each for the
  // loaders and for a repairers page that carries them in its own statement.
  const openingHoursWhere = (which: SQL) =>
    db
      .select({ ...getTableColumns(openingHours), owner: openingHours.repairerId })
      .from(openingHours)
      .where(which)
      .orderBy(...openingHoursOrder);
  const closuresWhere = (which: SQL) =>
    db
      .select({ ...getTableColumns(closures), owner: closures.repairerId })
      .from(closures)
      .where(which)
      .orderBy(asc(closures.startDate));
  const openingHoursOf = groupedBy<OpeningHoursRow>(batch, (ids) =>
    select(openingHoursWhere(inArray(openingHours.repairerId, ids))),
  );
  const closuresOf = groupedBy<ClosureRow>(batch, (ids) =>
    select(closuresWhere(inArray(closures.repairerId, ids))),
  );
  /** Active appointments per slot instant (epoch ms) of each repairer in a window: one statement per batch. */
  const booked = new DataLoader<BookedWindow, Map<number, number>, string>(
    async (windows) => {
      const from = new Date(Math.min(...windows.map((w) => w.from.getTime())));
      const to = new Date(Math.max(...windows.map((w) => w.to.getTime())));
      const rows = await select(
        db
          .select({ repairerId: appointments.repairerId, ...bookedFields })
          .from(appointments)
          .where(
            and(
              inArray(appointments.repairerId, [...new Set(windows.map((w) => w.repairerId))]),
              isActive,
              gte(appointments.slotTime, from),
              lt(appointments.slotTime, to),
            ),
          )
          .groupBy(appointments.repairerId, appointments.slotTime),
      );
      return windows.map(
        (w) =>
          new Map(
            rows
              .filter(
                (r) => r.repairerId === w.repairerId && r.slotTime >= w.from && r.slotTime < w.to,
              )
              .map((r) => [r.slotTime.getTime(), r.n] as const),
          ),
      );
    },
    {
      cacheKeyFn: (w) => `${w.repairerId}|${w.from.toISOString()}|${w.to.toISOString()}`,
      batchScheduleFn: batch.schedule,
    },
  );
  return {
    /** A select in this turn's statement: a root list and its count go out together. */
    select,
    /** Listed repairers only: a disabled or withdrawn one does not exist for clients. */
    repairer: byKey<RepairerRow>(
      batch,
      (ids) =>
        select(
          db
            .select()
            .from(repairers)
            .where(and(inArray(repairers.id, ids), isListed)),
        ),
      (r) => r.id,
    ),
    repairerBySlug: byKey<RepairerRow>(
      batch,
      (slugs) =>
        select(
          db
            .select()
            .from(repairers)
            .where(and(inArray(repairers.slug, slugs), isListed)),
        ),
      (r) => r.slug,
    ),
    repairerType: byKey<RepairerTypeRow>(
      batch,
      (ids) => select(db.select().from(repairerTypes).where(inArray(repairerTypes.id, ids))),
      (r) => r.id,
    ),
    bikeType: byKey<BikeTypeRow>(
      batch,
      (ids) => select(db.select().from(bikeTypes).where(inArray(bikeTypes.id, ids))),
      (r) => r.id,
    ),
    prestation: byKey<PrestationRow>(
      batch,
      (ids) => select(db.select().from(prestations).where(inArray(prestations.id, ids))),
      (r) => r.id,
    ),
    customer: byKey<CustomerRow>(
      batch,
      (ids) => select(db.select().from(customers).where(inArray(customers.id, ids))),
      (r) => r.id,
    ),

    repairerTypesOf: groupedBy<RepairerTypeRow>(batch, (ids) =>
      select(
        db
          .select({ ...getTableColumns(repairerTypes), owner: repairerRepairerTypes.repairerId })
          .from(repairerRepairerTypes)
          .innerJoin(repairerTypes, eq(repairerTypes.id, repairerRepairerTypes.repairerTypeId))
          .where(inArray(repairerRepairerTypes.repairerId, ids))
          .orderBy(asc(repairerTypes.name)),
      ),
    ),
    bikeTypesOf: groupedBy<BikeTypeRow>(batch, (ids) =>
      select(
        db
          .select({ ...getTableColumns(bikeTypes), owner: repairerBikeTypes.repairerId })
          .from(repairerBikeTypes)
          .innerJoin(bikeTypes, eq(bikeTypes.id, repairerBikeTypes.bikeTypeId))
          .where(inArray(repairerBikeTypes.repairerId, ids))
          .orderBy(asc(bikeTypes.name)),
      ),
    ),
    citiesOf: groupedBy<{ id: string }>(batch, (ids) =>
      select(
        db
          .select({ id: repairerCities.territoryId, owner: repairerCities.repairerId })
          .from(repairerCities)
          .where(inArray(repairerCities.repairerId, ids))
          .orderBy(asc(repairerCities.territoryId)),
      ),
    ),
    openingHoursOf,
    closuresOf,
    interventionsOf: groupedBy<InterventionRow>(batch, (ids) =>
      select(
        db
          .select({ ...getTableColumns(interventions), owner: interventions.repairerId })
          .from(interventions)
          .where(inArray(interventions.repairerId, ids))
          .orderBy(asc(interventions.priceCents), asc(interventions.name)),
      ),
    ),

    booked,

    /** Repairers serving each territory, by name. */
    repairersServing: createPageLoader<RepairerRow, RepairersRequest>(
      batch,
      async (owners, page, { schedule, bookedBetween, ...filters }) => {
        const ranked = db
          .select({
            ...getTableColumns(repairers),
            owner: owner.as("owner"),
            rank: rankOver(owner, sql`${repairers.name}, ${repairers.id}`),
            total: totalOver(owner),
          })
          .from(ownersTable(owners))
          .innerJoin(repairers, and(servesOwner(), matchesFilters(filters))!)
          .as("ranked");
        // Each repairer of the page carries what its free slots are computed from, when asked (primed in their loaders).
        const scheduleColumns = {
          openingHours: jsonRows(openingHoursWhere(eq(openingHours.repairerId, ranked.id))),
          closures: jsonRows(closuresWhere(eq(closures.repairerId, ranked.id))),
        };
        const bookedColumn = (window: { from: Date; to: Date }) => ({
          booked: jsonRows(
            db
              .select(bookedFields)
              .from(appointments)
              .where(
                and(
                  eq(appointments.repairerId, ranked.id),
                  isActive,
                  gte(appointments.slotTime, window.from),
                  lt(appointments.slotTime, window.to),
                ),
              )
              .groupBy(appointments.slotTime),
          ),
        });
        const rows = await select(
          db
            .select({
              ...columnsOf(ranked),
              ...(schedule ? scheduleColumns : {}),
              ...(bookedBetween ? bookedColumn(bookedBetween) : {}),
            })
            .from(ranked)
            .where(rankedPage(ranked.rank, page)),
        );
        return rankedLists(
          page,
          rows.map(
            ({
              owner,
              rank,
              total,
              openingHours: hours,
              closures: closed,
              booked: counts,
              ...row
            }) => {
              if (hours) openingHoursOf.prime(row.id, hours);
              if (closed) closuresOf.prime(row.id, closed);
              if (bookedBetween && counts)
                booked.prime(
                  { repairerId: row.id, ...bookedBetween },
                  new Map(counts.map((c) => [c.slotTime.getTime(), c.n])),
                );
              return { owner, rank, total, row };
            },
          ),
        );
      },
    ),
    repairerCount: new DataLoader<string, number>(
      async (territoryIds) => {
        const rows = await select(
          db
            .select({ owner: owner.as("owner"), n: count() })
            .from(ownersTable([...territoryIds]))
            .innerJoin(repairers, servesOwner())
            .groupBy(owner),
        );
        const counts = new Map(rows.map((r) => [r.owner, Number(r.n)]));
        return territoryIds.map((id) => counts.get(id) ?? 0);
      },
      { batchScheduleFn: batch.schedule },
    ),
  };
}

export type BookingsLoaders = ReturnType<typeof createLoaders>;

/** What every resolver of bookings receives. */
export type Context = SubgraphContext<BookingsLoaders>;
