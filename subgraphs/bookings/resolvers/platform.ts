import "reflect-metadata";
import { Arg, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { CACHE_SECONDS, CacheFor } from "../../../lib/graphql/cache.js";
import { CountByKey } from "../../../lib/graphql/stats.js";
import type { Context } from "../loaders.js";
import { countAppointments } from "../stats.js";
import { AppointmentGrouping, PlatformRef } from "../types.js";

/** The directory's platform every repairer is booked on. */
export const RUSTINE_LIBRE = "rustine-libre";

@Resolver(() => PlatformRef)
export class PlatformBookingsResolver {
  @CacheFor(CACHE_SECONDS.catalogue)
  @FieldResolver(() => [CountByKey], {
    nullable: true,
    description:
      "Rustine Libre only (null elsewhere): its appointments counted by month, status, prestation or repairer.",
  })
  bookingStats(
    @Root() platform: PlatformRef,
    @Arg("groupBy", () => AppointmentGrouping, { defaultValue: AppointmentGrouping.MONTH })
    groupBy: AppointmentGrouping,
    @Ctx() { db }: Context,
  ): Promise<CountByKey[]> | null {
    return platform.slug === RUSTINE_LIBRE ? countAppointments(db, groupBy, {}) : null;
  }
}
