import "reflect-metadata";
import { asc } from "drizzle-orm";
import { Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import { CACHE_SECONDS, CacheFor } from "../../../lib/graphql/cache.js";
import type { Context } from "../loaders.js";
import { callsForInterest } from "../tables.js";
import { CallForInterest, type CallForInterestRow, Collectivite } from "../types.js";
import { collectivitesByName } from "./collectivite.js";

@Resolver(() => CallForInterest)
export class CallForInterestResolver {
  @CacheFor(CACHE_SECONDS.listing)
  @Query(() => [CallForInterest], {
    description: "The programme's AMIs (appels à manifestation d'intérêt).",
  })
  callsForInterest(@Ctx() { db }: Context): Promise<CallForInterestRow[]> {
    return db
      .select()
      .from(callsForInterest)
      .orderBy(asc(callsForInterest.year), asc(callsForInterest.id));
  }

  @FieldResolver(() => [Collectivite], { description: "The collectivités it selected." })
  async selected(@Root() row: CallForInterestRow, @Ctx() { loaders }: Context) {
    return collectivitesByName(loaders, await loaders.selectedBy.load(row.id));
  }
}
