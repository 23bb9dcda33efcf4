import "reflect-metadata";
import { Arg, Ctx, Query, Resolver } from "type-graphql";
import { CACHE_SECONDS, CacheFor } from "../../../lib/graphql/cache.js";
import { CountByKey } from "../../../lib/graphql/stats.js";
import type { Context } from "../loaders.js";
import { countEngagements } from "../stats.js";
import { EngagementGrouping } from "../types.js";

@Resolver()
export class EngagementStatsResolver {
  @CacheFor(CACHE_SECONDS.catalogue)
  @Query(() => [CountByKey], {
    description: "Engagements counted by status, theme, collectivité or platform.",
  })
  engagementSummary(
    @Arg("groupBy", () => EngagementGrouping) groupBy: EngagementGrouping,
    @Ctx() { db }: Context,
  ): Promise<CountByKey[]> {
    return countEngagements(db, groupBy);
  }
}
