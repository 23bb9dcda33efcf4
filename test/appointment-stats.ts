import { eq } from "drizzle-orm";
import { DateTime } from "luxon";
import { expect } from "vitest";
import { HUB_TIME_ZONE } from "../lib/time.js";
import {
  type AppointmentGrouping,
  AppointmentStatsDocument,
} from "../operations/generated/graphql.js";
import { appointments, repairers } from "../subgraphs/bookings/tables.js";
import { request, serviceHeaders, type TestHub } from "./harness.js";

/** `appointmentStats` arguments besides `groupBy`: dates `YYYY-MM-DD`. */
export interface StatsFilter {
  territoryId?: string;
  from?: string;
  to?: string;
}

const GROUPINGS: AppointmentGrouping[] = ["MONTH", "STATUS", "PRESTATION", "REPAIRER"];

/**
 * `appointmentStats` beside a plain count: every appointment read from the database and counted
 * here, by the rules the schema states (slot dates and months in Europe/Paris, both ends included;
 * territories through the repairer's path), for each grouping and each filter. Asked of the
 * bookings subgraph itself: the gateway's response cache would answer from before the writes.
 */
export async function expectStatsToMatchPlainCounts(
  hub: TestHub,
  filters: StatsFilter[],
): Promise<void> {
  const rows = await hub.database.db
    .select({
      slotTime: appointments.slotTime,
      status: appointments.status,
      prestationId: appointments.prestationId,
      slug: repairers.slug,
      territoryPath: repairers.territoryPath,
    })
    .from(appointments)
    .innerJoin(repairers, eq(repairers.id, appointments.repairerId));
  const bookings = hub.subgraphs.get("bookings")!.url;
  for (const filter of filters) {
    const kept = rows.filter((row) => {
      const day = DateTime.fromJSDate(row.slotTime, { zone: HUB_TIME_ZONE }).toISODate()!;
      return (
        (!filter.territoryId || row.territoryPath.includes(filter.territoryId)) &&
        (!filter.from || day >= filter.from) &&
        (!filter.to || day <= filter.to)
      );
    });
    for (const groupBy of GROUPINGS) {
      const expected = new Map<string, number>();
      for (const row of kept) {
        const key = {
          MONTH: () =>
            DateTime.fromJSDate(row.slotTime, { zone: HUB_TIME_ZONE }).toFormat("yyyy-MM"),
          STATUS: () => row.status,
          PRESTATION: () => row.prestationId ?? "aucune",
          REPAIRER: () => row.slug,
        }[groupBy]();
        expected.set(key, (expected.get(key) ?? 0) + 1);
      }
      const { data, errors } = await request(
        bookings,
        AppointmentStatsDocument,
        { groupBy, ...filter },
        await serviceHeaders(),
      );
      expect(errors).toBeUndefined();
      // Keys in the database's collation order; compared here in one order of their own.
      const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : 1);
      const answered = data!.appointmentStats.map(({ key, count }) => ({ key, count })).sort(byKey);
      expect(answered, `${groupBy} ${JSON.stringify(filter)}`).toEqual(
        [...expected].map(([key, count]) => ({ key, count })).sort(byKey),
      );
    }
  }
}
