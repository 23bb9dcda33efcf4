import { and, asc, eq, getTableColumns, inArray, isNull, sql } from "drizzle-orm";
import type { Database } from "../../lib/database.js";
import { createRequestBatch } from "../../lib/graphql/batch.js";
import { jsonRows } from "../../lib/graphql/json-rows.js";
import { byKey, groupedBy } from "../../lib/graphql/loaders.js";
import { createPageLoader } from "../../lib/graphql/paged-loader.js";
import { pathContains, textArray } from "../../lib/graphql/sql.js";
import { coveringLoader } from "../../lib/graphql/territory-loaders.js";
import type { SubgraphContext } from "../../lib/subgraph.js";
import { categories, instances, loans, members, products, unavailabilities } from "./tables.js";
import type { CategoryRow, InstanceRow, LoanRow, MemberRow, ProductRow } from "./types.js";
import { publiclyListed } from "./visibility.js";

export interface ProductFilters {
  type: string | null;
  categoryId: string | null;
}

export function createLoaders(db: Database) {
  const batch = createRequestBatch(db);
  const { select } = batch;
  const category = byKey<CategoryRow>(
    batch,
    (ids) => select(db.select().from(categories).where(inArray(categories.id, ids))),
    (c) => c.id,
  );
  return {
    /** A select in this turn's statement: a root list and its count go out together. */
    select,
    instance: byKey<InstanceRow>(
      batch,
      (slugs) => select(db.select().from(instances).where(inArray(instances.slug, slugs))),
      (i) => i.slug,
    ),
    instanceOfPlatform: byKey<InstanceRow>(
      batch,
      (slugs) => select(db.select().from(instances).where(inArray(instances.platformSlug, slugs))),
      (i) => i.platformSlug ?? "",
    ),
    instancesCovering: coveringLoader<InstanceRow>(
      batch,
      (territoryIds) =>
        select(
          db
            .select()
            .from(instances)
            .where(inArray(instances.territoryId, territoryIds))
            .orderBy(asc(instances.name)),
        ),
      (row) => row.territoryId,
    ),
    category,
    childrenOf: groupedBy<CategoryRow>(batch, (ids) =>
      select(
        db
          .select({ category: categories, owner: sql<string>`${categories.parentId}` })
          .from(categories)
          .where(inArray(categories.parentId, ids))
          .orderBy(asc(categories.position)),
      ).then((rows) => rows.map(({ category, owner }) => ({ ...category, owner }))),
    ),
    member: byKey<MemberRow>(
      batch,
      (ids) => select(db.select().from(members).where(inArray(members.id, ids))),
      (m) => m.id,
    ),
    product: byKey<ProductRow>(
      batch,
      (ids) => select(db.select().from(products).where(inArray(products.id, ids))),
      (p) => p.id,
    ),

    /** Places in each territory or a territory it contains. */
    placesWithin: groupedBy<MemberRow>(batch, (territoryIds) =>
      select(
        db
          .select({ member: members, owner: sql<string>`o.owner` })
          .from(sql`unnest(${textArray(territoryIds)}) as o(owner)`)
          .innerJoin(members, pathContains(members.territoryPath, sql`o.owner`))
          .where(and(eq(members.kind, "PLACE"), isNull(members.withdrawnAt)))
          .orderBy(asc(members.displayName)),
      ).then((rows) => rows.map(({ member, owner }) => ({ ...member, owner }))),
    ),

    /**
     * Public products whose owner is in each territory or a territory it contains, a page at a time.
     * Per territory a count and the page's top-N, not a rank of every product as the smaller lists
     * do: a region holds 100,000 products at scale, which a window sorted whole with every column
     * (about 400 ms for the region's first page in PostgreSQL, against 100 ms so).
     */
    productsWithin: createPageLoader<ProductRow, ProductFilters>(
      batch,
      async (owners, page, filters) => {
        const owner = sql<string>`o.owner`;
        const listed = and(
          pathContains(products.territoryPath, owner),
          publiclyListed,
          filters.type ? eq(products.type, filters.type) : undefined,
          filters.categoryId ? eq(products.categoryId, filters.categoryId) : undefined,
        );
        // Each product carries its category: `Product.category` reads it from the loader, primed.
        const categoryOf = jsonRows(
          db.select().from(categories).where(eq(categories.id, products.categoryId)),
        );
        const lists = await select(
          db
            .select({
              owner,
              total: sql<number>`(select count(*)::int from ${products} where ${listed})`.mapWith(
                Number,
              ),
              rows: jsonRows(
                db
                  .select({ ...getTableColumns(products), category: categoryOf })
                  .from(products)
                  .where(listed)
                  .orderBy(asc(products.name), asc(products.id))
                  .limit(page.limit)
                  .offset(page.offset),
              ),
            })
            .from(sql`unnest(${textArray(owners)}) as o(owner)`),
        );
        return lists.map(({ owner, total, rows }) => ({
          owner,
          total,
          rows: rows.map(({ category: [found], ...row }) => {
            if (found) category.prime(found.id, found);
            return row;
          }),
        }));
      },
    ),

    unavailabilitiesOf: groupedBy<{ start: string; end: string }>(batch, (ids) =>
      select(
        db
          .select({
            start: unavailabilities.startDate,
            end: unavailabilities.endDate,
            owner: unavailabilities.productId,
          })
          .from(unavailabilities)
          .where(inArray(unavailabilities.productId, ids))
          .orderBy(asc(unavailabilities.startDate)),
      ),
    ),
    confirmedLoansOf: groupedBy<LoanRow>(batch, (ids) =>
      select(
        db
          .select({ loan: loans, owner: loans.productId })
          .from(loans)
          .where(and(inArray(loans.productId, ids), eq(loans.status, "CONFIRMED")))
          .orderBy(asc(loans.startDate)),
      ).then((rows) => rows.map(({ loan, owner }) => ({ ...loan, owner }))),
    ),
  };
}

export type ExchangesLoaders = ReturnType<typeof createLoaders>;

/** What every resolver of exchanges receives. */
export type Context = SubgraphContext<ExchangesLoaders>;
