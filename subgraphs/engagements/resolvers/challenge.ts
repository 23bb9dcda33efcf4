import "reflect-metadata";
import { asc } from "drizzle-orm";
import { Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import { CACHE_SECONDS, CacheFor } from "../../../lib/graphql/cache.js";
import type { Context } from "../loaders.js";
import { challenges } from "../tables.js";
import { Challenge, type ChallengeRow, Indicator, OrganizationRef } from "../types.js";

@Resolver(() => Challenge)
export class ChallengeResolver {
  @CacheFor(CACHE_SECONDS.catalogue)
  @Query(() => [Challenge], { description: "The défis citoyens and their indicators." })
  challenges(@Ctx() { db }: Context): Promise<ChallengeRow[]> {
    return db.select().from(challenges).orderBy(asc(challenges.title));
  }

  @FieldResolver(() => [OrganizationRef])
  organizers(@Root() row: ChallengeRow, @Ctx() { loaders }: Context) {
    return loaders.organizersOf.load(row.id);
  }

  @FieldResolver(() => [Indicator])
  indicators(@Root() row: ChallengeRow, @Ctx() { loaders }: Context) {
    return loaders.indicatorsOf.load(row.id);
  }
}
