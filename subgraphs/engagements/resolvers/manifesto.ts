import "reflect-metadata";
import { asc } from "drizzle-orm";
import { Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import { CACHE_SECONDS, CacheFor } from "../../../lib/graphql/cache.js";
import type { Context } from "../loaders.js";
import { manifestos } from "../tables.js";
import { Collectivite, Manifesto, type ManifestoRow } from "../types.js";
import { collectivitesByName } from "./collectivite.js";

@Resolver(() => Manifesto)
export class ManifestoResolver {
  @CacheFor(CACHE_SECONDS.listing)
  @Query(() => Manifesto, {
    nullable: true,
    description: "The manifesto of public actors for cooperative platforms.",
  })
  async manifesto(@Ctx() { db }: Context): Promise<ManifestoRow | null> {
    const [row] = await db.select().from(manifestos).orderBy(asc(manifestos.id)).limit(1);
    return row ?? null;
  }

  @FieldResolver(() => [Collectivite])
  async signatories(@Root() row: ManifestoRow, @Ctx() { loaders }: Context) {
    return collectivitesByName(loaders, await loaders.signatoriesOf.load(row.id));
  }
}
