import { and, gte, inArray, lt, or, type SQL, sql } from "drizzle-orm";
import { unionAll } from "drizzle-orm/pg-core";
import { DateTime } from "luxon";
import type { Database } from "../../lib/database.js";
import { pathContains } from "../../lib/graphql/sql.js";
import type { CountByKey } from "../../lib/graphql/stats.js";
import { addDays, startOfParisDay } from "./slots.js";
import { appointmentCounts, appointments, appointmentTotals, repairers } from "./tables.js";
import { AppointmentGrouping } from "./types.js";

/** The first day of the month of a date `YYYY-MM-DD`, and of the month after. */
const monthOf = (date: string) => `${date.slice(0, 7)}-01`;
const nextMonth = (date: string) =>
  DateTime.fromISO(monthOf(date), { zone: "utc" }).plus({ months: 1 }).toISODate()!;

/** Days `YYYY-MM-DD` from `from` to `to`, `to` excluded. */
interface Days {
  from: string;
  to: string;
}

/**
 * What a count by slot date reads: the whole months of [from, to] in the stored counts (null bounds
 * are open; `months` is null when no whole month is in the range), and the days of a month cut by
 * `from` or `to` among the appointments themselves.
 */
function splitByMonths(
  from: string | null | undefined,
  to: string | null | undefined,
): { months: { from: string | null; to: string | null } | null; days: Days[] } {
  const end = to ? addDays(to, 1) : null;
  const monthsFrom = from ? (from === monthOf(from) ? from : nextMonth(from)) : null;
  const monthsTo = end ? monthOf(end) : null;
  if (from && end && monthsFrom! >= monthsTo!) return { months: null, days: [{ from, to: end }] };
  const days: Days[] = [];
  if (from && from !== monthsFrom) days.push({ from, to: monthsFrom! });
  if (end && end !== monthsTo) days.push({ from: monthsTo!, to: end });
  return { months: { from: monthsFrom, to: monthsTo }, days };
}

type StoredCounts = typeof appointmentCounts | typeof appointmentTotals;

/**
 * How each grouping reads its key: from stored counts (per repairer, or the platform's totals), from
 * the appointments (the same value: `bookings.paris_month` is the function the counts' triggers
 * use), and as the answer shows it.
 */
const GROUPINGS: Record<
  AppointmentGrouping,
  { stored: (counts: StoredCounts) => SQL; live: SQL; key: (grouped: SQL.Aliased) => SQL<string> }
> = {
  MONTH: {
    stored: (c) => sql`${c.month}`,
    live: sql`bookings.paris_month(${appointments.slotTime})`,
    key: (g) => sql`to_char(${g}, 'YYYY-MM')`,
  },
  STATUS: {
    stored: (c) => sql`${c.status}`,
    live: sql`${appointments.status}`,
    key: (g) => sql`${g}`,
  },
  PRESTATION: {
    stored: (c) => sql`${c.prestationId}`,
    live: sql`coalesce(${appointments.prestationId}, '')`,
    key: (g) => sql`coalesce(nullif(${g}, ''), 'aucune')`,
  },
  REPAIRER: {
    stored: () => sql`${appointmentCounts.repairerId}`,
    live: sql`${appointments.repairerId}`,
    key: () => sql`${repairers.slug}`,
  },
};

/**
 * Appointments counted by month, status, prestation or repairer; slot dates in Europe/Paris. Whole
 * months are summed from stored counts, kept by triggers in the transaction of every write: the
 * platform's totals (a few hundred rows) when no territory or repairer is asked for, else the
 * per-repairer counts (about a third as many rows as appointments, and no date to compute). Only
 * the days of a month that `from` or `to` cuts are counted among the appointments.
 */
export async function countAppointments(
  db: Database,
  groupBy: AppointmentGrouping,
  filter: { territoryId?: string | null; from?: string | null; to?: string | null },
): Promise<CountByKey[]> {
  const grouping = GROUPINGS[groupBy];
  const inTerritory = (repairerId: SQL) =>
    filter.territoryId
      ? inArray(
          repairerId,
          db
            .select({ id: repairers.id })
            .from(repairers)
            .where(pathContains(repairers.territoryPath, filter.territoryId)),
        )
      : undefined;
  const { months, days } = splitByMonths(filter.from, filter.to);
  const counts: StoredCounts =
    filter.territoryId || groupBy === AppointmentGrouping.REPAIRER
      ? appointmentCounts
      : appointmentTotals;

  const storedKey = grouping.stored(counts).as("grouped");
  const liveKey = grouping.live.as("grouped");
  const stored =
    months &&
    db
      .select({ grouped: storedKey, n: sql<number>`sum(${counts.count})`.as("n") })
      .from(counts)
      .where(
        and(
          inTerritory(sql`${appointmentCounts.repairerId}`),
          months.from ? gte(counts.month, months.from) : undefined,
          months.to ? lt(counts.month, months.to) : undefined,
        ),
      )
      .groupBy(storedKey);
  const live =
    days.length > 0
      ? db
          .select({ grouped: liveKey, n: sql<number>`count(*)`.as("n") })
          .from(appointments)
          .where(
            and(
              inTerritory(sql`${appointments.repairerId}`),
              or(
                ...days.map((d) =>
                  and(
                    gte(appointments.slotTime, startOfParisDay(d.from)),
                    lt(appointments.slotTime, startOfParisDay(d.to)),
                  ),
                ),
              ),
            ),
          )
          .groupBy(liveKey)
      : null;
  // drizzle types a union after its first table; both parts select the same two columns.
  const counted = (
    stored && live ? unionAll(stored, live as unknown as typeof stored) : (stored ?? live)!
  ).as("counted");
  const key = grouping.key(counted.grouped);
  const query = db.select({ key, count: sql<number>`sum(${counted.n})` }).from(counted);
  const rows = await (groupBy === AppointmentGrouping.REPAIRER
    ? query.innerJoin(repairers, sql`${repairers.id} = ${counted.grouped}`)
    : query
  )
    .groupBy(key)
    // Keys whose appointments all moved elsewhere keep a stored count of zero: a plain count would not show them.
    .having(sql`sum(${counted.n}) > 0`)
    .orderBy(key);
  return rows.map((r) => ({ key: r.key, count: Number(r.count) }));
}
