import "reflect-metadata";
import { GraphQLLocalDate } from "graphql-scalars";
import { Arg, Ctx, ID, Query, Resolver } from "type-graphql";
import { CACHE_SECONDS, CacheFor } from "../../../lib/graphql/cache.js";
import { badUserInput } from "../../../lib/graphql/errors.js";
import { CountByKey } from "../../../lib/graphql/stats.js";
import { checkTerritoryId } from "../../../lib/graphql/territory-id.js";
import type { Context } from "../loaders.js";
import { countAppointments } from "../stats.js";
import { AppointmentGrouping } from "../types.js";

@Resolver()
export class BookingStatsResolver {
  @CacheFor(CACHE_SECONDS.catalogue)
  @Query(() => [CountByKey], {
    description:
      "For analysts: appointments counted (never listed), by repairer location and slot date (both ends included).",
  })
  appointmentStats(
    @Arg("groupBy", () => AppointmentGrouping) groupBy: AppointmentGrouping,
    @Arg("territoryId", () => ID, { nullable: true }) territoryId: string | null,
    @Arg("from", () => GraphQLLocalDate, { nullable: true }) from: string | null,
    @Arg("to", () => GraphQLLocalDate, { nullable: true }) to: string | null,
    @Ctx() { db }: Context,
  ): Promise<CountByKey[]> {
    if (territoryId != null) checkTerritoryId(territoryId, "territoryId");
    if (from && to && from > to)
      throw badUserInput("« from » doit précéder « to ».", { argument: "from" });
    return countAppointments(db, groupBy, { territoryId, from, to });
  }
}
