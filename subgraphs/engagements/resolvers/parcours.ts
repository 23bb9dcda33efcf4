import "reflect-metadata";
import { asc } from "drizzle-orm";
import { Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import { CACHE_SECONDS, CacheFor } from "../../../lib/graphql/cache.js";
import type { Context } from "../loaders.js";
import { parcours } from "../tables.js";
import { Collectivite, OrganizationRef, Parcours, type ParcoursRow } from "../types.js";
import { collectivitesByName } from "./collectivite.js";

@Resolver(() => Parcours)
export class ParcoursResolver {
  @CacheFor(CACHE_SECONDS.listing)
  @Query(() => [Parcours], { description: "The editions of the qualification parcours." })
  parcours(@Ctx() { db }: Context): Promise<ParcoursRow[]> {
    return db.select().from(parcours).orderBy(asc(parcours.edition));
  }

  @FieldResolver(() => [OrganizationRef], {
    description: "Who ran it (organizations of the directory).",
  })
  async facilitators(@Root() row: ParcoursRow, @Ctx() { loaders }: Context) {
    return loaders.facilitatorsOf.load(row.id);
  }

  @FieldResolver(() => [Collectivite])
  async participants(@Root() row: ParcoursRow, @Ctx() { loaders }: Context) {
    return collectivitesByName(loaders, await loaders.participantsOf.load(row.id));
  }
}
