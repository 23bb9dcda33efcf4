import "reflect-metadata";
import { asc } from "drizzle-orm";
import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import { Fact } from "../../../lib/facts/fact.js";
import type { FactRow } from "../../../lib/facts/table.js";
import { CACHE_SECONDS, CacheFor } from "../../../lib/graphql/cache.js";
import type { Context, EngagementsLoaders } from "../loaders.js";
import { collectivites } from "../tables.js";
import { Collectivite, type CollectiviteRow, Engagement, TerritoryRef } from "../types.js";

/** The collectivités a list names (participants, signatories...), by name. */
export async function collectivitesByName(
  loaders: EngagementsLoaders,
  refs: { id: string }[],
): Promise<CollectiviteRow[]> {
  const rows = await loaders.collectivite.loadMany(refs.map((r) => r.id));
  return rows
    .filter((row): row is CollectiviteRow => row !== null && !(row instanceof Error))
    .sort((a, b) => a.name.localeCompare(b.name, "fr"));
}

@Resolver(() => Collectivite)
export class CollectiviteResolver {
  @Query(() => Collectivite, {
    nullable: true,
    description: "A collectivité by its id (`mel`, `lomme`...); null when unknown.",
  })
  collectivite(@Arg("id", () => ID) id: string, @Ctx() { loaders }: Context) {
    return loaders.collectivite.load(id);
  }

  @CacheFor(CACHE_SECONDS.listing)
  @Query(() => [Collectivite], {
    description: "Every collectivité engaged in the programme, by name.",
  })
  collectivites(@Ctx() { db }: Context) {
    return db.select().from(collectivites).orderBy(asc(collectivites.name));
  }

  @FieldResolver(() => TerritoryRef, {
    description: "The collectivité's territory (from the directory).",
  })
  territory(@Root() collectivite: CollectiviteRow): TerritoryRef {
    return { id: collectivite.territoryId };
  }

  @FieldResolver(() => [Engagement])
  engagements(@Root() collectivite: CollectiviteRow, @Ctx() { loaders }: Context) {
    return loaders.engagementsOf.load(collectivite.id);
  }

  @FieldResolver(() => [Fact], {
    description:
      "Where its values come from (`url`...); its population is its territory's (`territory { population }`).",
  })
  facts(@Root() collectivite: CollectiviteRow, @Ctx() { loaders }: Context): Promise<FactRow[]> {
    return loaders.factsOfCollectivite.load(collectivite.id);
  }
}
