import "reflect-metadata";
import { GraphQLLocalDate } from "graphql-scalars";
import { Arg, Ctx, ID, Query, Resolver } from "type-graphql";
import { CACHE_SECONDS, CacheFor } from "../../../lib/graphql/cache.js";
import { CountByKey } from "../../../lib/graphql/stats.js";
import { checkTerritoryId } from "../../../lib/graphql/territory-id.js";
import type { Context } from "../loaders.js";
import { countLoans } from "../stats.js";
import { LoanGrouping } from "../types.js";

@Resolver()
export class LoanStatsResolver {
  @CacheFor(CACHE_SECONDS.catalogue)
  @Query(() => [CountByKey], {
    description:
      "Loans counted by month of their start, category or instance; counts only, never people.",
  })
  loanStats(
    @Arg("groupBy", () => LoanGrouping) groupBy: LoanGrouping,
    @Arg("instanceSlug", () => ID, { nullable: true }) instanceSlug: string | null,
    @Arg("territoryId", () => ID, {
      nullable: true,
      description: "Loans of products whose owner is in this territory or one it contains.",
    })
    territoryId: string | null,
    @Arg("from", () => GraphQLLocalDate, { nullable: true }) from: string | null,
    @Arg("to", () => GraphQLLocalDate, { nullable: true }) to: string | null,
    @Ctx() { db }: Context,
  ): Promise<CountByKey[]> {
    if (territoryId) checkTerritoryId(territoryId, "territoryId");
    return countLoans(db, groupBy, { instanceSlug, territoryId, from, to });
  }
}
