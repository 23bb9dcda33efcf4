import "reflect-metadata";
import { Args, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { parsePage } from "../../../lib/graphql/connection.js";
import { ProductsArgs } from "../inputs/product.js";
import type { Context } from "../loaders.js";
import { ExchangeInstance, ExchangeMember, ProductConnection, TerritoryRef } from "../types.js";

@Resolver(() => TerritoryRef)
export class TerritoryExchangesResolver {
  @FieldResolver(() => [ExchangeInstance], {
    description: "EBS instances serving this territory or a territory containing it.",
  })
  exchangeInstances(@Root() territory: TerritoryRef, @Ctx() { loaders }: Context) {
    return loaders.instancesCovering.load(territory.id);
  }

  @FieldResolver(() => [ExchangeMember], {
    description: "Partner places (objetothèques...) in this territory or a territory it contains.",
  })
  places(@Root() territory: TerritoryRef, @Ctx() { loaders }: Context) {
    return loaders.placesWithin.load(territory.id);
  }

  @FieldResolver(() => ProductConnection, {
    description: "Public products whose owner is in this territory or a territory it contains.",
  })
  products(
    @Root() territory: TerritoryRef,
    @Args(() => ProductsArgs) args: ProductsArgs,
    @Ctx() { loaders }: Context,
  ) {
    return loaders.productsWithin.load({
      owner: territory.id,
      page: parsePage(args),
      filters: { type: args.type ?? null, categoryId: args.categorySlug ?? null },
    });
  }
}
