import "reflect-metadata";
import { asc } from "drizzle-orm";
import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import { CACHE_SECONDS, CacheFor } from "../../../lib/graphql/cache.js";
import type { Context } from "../loaders.js";
import { instances } from "../tables.js";
import { ExchangeInstance, type InstanceRow, PlatformRef, TerritoryRef } from "../types.js";

@Resolver(() => ExchangeInstance)
export class ExchangeInstanceResolver {
  @Query(() => ExchangeInstance, { nullable: true })
  exchangeInstance(@Arg("slug", () => ID) slug: string, @Ctx() { loaders }: Context) {
    return loaders.instance.load(slug);
  }

  @CacheFor(CACHE_SECONDS.listing)
  @Query(() => [ExchangeInstance], { description: "Every EBS instance the hub federates." })
  exchangeInstances(@Ctx() { db }: Context): Promise<InstanceRow[]> {
    return db.select().from(instances).orderBy(asc(instances.name));
  }

  @FieldResolver(() => TerritoryRef, { description: "The territory the instance serves." })
  territory(@Root() instance: InstanceRow): TerritoryRef {
    return { id: instance.territoryId };
  }

  @FieldResolver(() => PlatformRef, {
    nullable: true,
    description: "The directory platform it is listed as.",
  })
  platform(@Root() instance: InstanceRow): PlatformRef | null {
    return instance.platformSlug ? { slug: instance.platformSlug } : null;
  }
}
