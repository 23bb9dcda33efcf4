import "reflect-metadata";
import { and, asc, eq, isNull } from "drizzle-orm";
import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import { CACHE_SECONDS, CacheFor } from "../../../lib/graphql/cache.js";
import type { Context } from "../loaders.js";
import { categories } from "../tables.js";
import { Category, type CategoryRow, ProductType } from "../types.js";

@Resolver(() => Category)
export class CategoryResolver {
  @CacheFor(CACHE_SECONDS.listing)
  @Query(() => [Category], {
    description: "The top of the category tree of a type (objects or services).",
  })
  categories(
    @Arg("type", () => ProductType) type: ProductType,
    @Ctx() { db }: Context,
  ): Promise<CategoryRow[]> {
    return db
      .select()
      .from(categories)
      .where(and(eq(categories.type, type), isNull(categories.parentId)))
      .orderBy(asc(categories.position));
  }

  @FieldResolver(() => Category, { nullable: true })
  parent(@Root() category: CategoryRow, @Ctx() { loaders }: Context) {
    return category.parentId ? loaders.category.load(category.parentId) : null;
  }

  @FieldResolver(() => [Category])
  children(@Root() category: CategoryRow, @Ctx() { loaders }: Context) {
    return loaders.childrenOf.load(category.id);
  }
}
