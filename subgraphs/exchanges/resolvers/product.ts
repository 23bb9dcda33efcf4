import "reflect-metadata";
import { and, asc, count, eq } from "drizzle-orm";
import { GraphQLLocalDate } from "graphql-scalars";
import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import { CACHE_SECONDS, CacheFor } from "../../../lib/graphql/cache.js";
import { pageOf, parsePage } from "../../../lib/graphql/connection.js";
import { checkPeriod, overlaps } from "../inputs/period.js";
import { CatalogueArgs } from "../inputs/product.js";
import type { Context } from "../loaders.js";
import { products } from "../tables.js";
import {
  type BusyPeriod,
  BusyReason,
  Category,
  ExchangeInstance,
  ExchangeMember,
  Product,
  ProductAvailability,
  ProductConnection,
  type ProductRow,
} from "../types.js";
import { isShown, publiclyListed } from "../visibility.js";

@Resolver(() => Product)
export class ProductResolver {
  @Query(() => Product, {
    nullable: true,
    description: "A product; null when unknown, deleted or restricted to groups.",
  })
  async product(
    @Arg("id", () => ID) id: string,
    @Ctx() { loaders }: Context,
  ): Promise<ProductRow | null> {
    const product = await loaders.product.load(id);
    return product && isShown(product) ? product : null;
  }

  @CacheFor(CACHE_SECONDS.catalogue)
  @Query(() => ProductConnection, {
    description: "The public catalogue of every instance, or of one.",
  })
  products(@Args(() => CatalogueArgs) args: CatalogueArgs, @Ctx() { db, loaders }: Context) {
    const where = and(
      publiclyListed,
      args.instanceSlug ? eq(products.instanceSlug, args.instanceSlug) : undefined,
      args.type ? eq(products.type, args.type) : undefined,
      args.categorySlug ? eq(products.categoryId, args.categorySlug) : undefined,
    );
    return pageOf(
      loaders.select,
      parsePage(args),
      db.select().from(products).where(where).orderBy(asc(products.name), asc(products.id)),
      db.select({ total: count() }).from(products).where(where),
    );
  }

  @FieldResolver(() => Category)
  category(@Root() product: ProductRow, @Ctx() { loaders }: Context) {
    return loaders.category.load(product.categoryId);
  }

  @FieldResolver(() => ExchangeMember, {
    description: "Who offers it: a place, or a person by their display name.",
  })
  owner(@Root() product: ProductRow, @Ctx() { loaders }: Context) {
    return loaders.member.load(product.ownerId);
  }

  @FieldResolver(() => ExchangeInstance)
  instance(@Root() product: ProductRow, @Ctx() { loaders }: Context) {
    return loaders.instance.load(product.instanceSlug);
  }

  @FieldResolver(() => ProductAvailability, {
    description: "Days taken over a period: set unavailable by the owner, or by a confirmed loan.",
  })
  async availability(
    @Root() product: ProductRow,
    @Arg("from", () => GraphQLLocalDate) from: string,
    @Arg("to", () => GraphQLLocalDate) to: string,
    @Ctx() { loaders }: Context,
  ): Promise<ProductAvailability> {
    checkPeriod(from, to);
    const [unavailable, confirmed] = await Promise.all([
      loaders.unavailabilitiesOf.load(product.id),
      loaders.confirmedLoansOf.load(product.id),
    ]);
    const busy: BusyPeriod[] = [
      ...unavailable
        .filter((u) => overlaps(u, from, to))
        .map((u) => ({ start: u.start, end: u.end, reason: BusyReason.UNAVAILABLE })),
      ...confirmed
        .map((loan) => ({ start: loan.startDate, end: loan.endDate }))
        .filter((l) => overlaps(l, from, to))
        .map((l) => ({ ...l, reason: BusyReason.LOAN })),
    ].sort((a, b) => a.start.localeCompare(b.start));
    return { from, to, available: busy.length === 0, busy };
  }
}
