import "reflect-metadata";
import { asc } from "drizzle-orm";
import { Ctx, Query, Resolver } from "type-graphql";
import { CACHE_SECONDS, CacheFor } from "../../../lib/graphql/cache.js";
import type { Context } from "../loaders.js";
import { bikeTypes, prestations, repairerTypes } from "../tables.js";
import { BikeType, Prestation, RepairerType } from "../types.js";

/** Rustine Libre's own lists, which the repairers and bookings refer to. */
@Resolver()
export class ListsResolver {
  @CacheFor(CACHE_SECONDS.listing)
  @Query(() => [BikeType])
  bikeTypes(@Ctx() { db }: Context) {
    return db.select().from(bikeTypes).orderBy(asc(bikeTypes.name));
  }

  @CacheFor(CACHE_SECONDS.listing)
  @Query(() => [RepairerType])
  repairerTypes(@Ctx() { db }: Context) {
    return db.select().from(repairerTypes).orderBy(asc(repairerTypes.name));
  }

  @CacheFor(CACHE_SECONDS.listing)
  @Query(() => [Prestation], {
    description: "The self-diagnoses a customer may give when booking.",
  })
  prestations(@Ctx() { db }: Context) {
    return db.select().from(prestations).orderBy(asc(prestations.name));
  }
}
