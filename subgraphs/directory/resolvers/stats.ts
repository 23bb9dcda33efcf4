import "reflect-metadata";
import { Arg, Ctx, ID, Query, Resolver } from "type-graphql";
import { CACHE_SECONDS, CacheFor } from "../../../lib/graphql/cache.js";
import { CountByKey } from "../../../lib/graphql/stats.js";
import { checkTerritoryId } from "../../../lib/graphql/territory-id.js";
import type { Context } from "../loaders.js";
import { platformsPerEpci } from "../stats.js";

@Resolver()
export class DirectoryStatsResolver {
  @CacheFor(CACHE_SECONDS.listing)
  @Query(() => [CountByKey], {
    description:
      "For each EPCI of a région, how many platforms serve it, serve a territory containing it or one of its communes.",
  })
  platformsPerEpci(
    @Arg("regionId", () => ID, { defaultValue: "REG:32" }) regionId: string,
    @Ctx() { db }: Context,
  ): Promise<CountByKey[]> {
    return platformsPerEpci(db, checkTerritoryId(regionId, "regionId"));
  }
}
