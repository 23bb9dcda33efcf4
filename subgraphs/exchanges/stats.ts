import { and, count, eq, gte, lte, type SQL, sql } from "drizzle-orm";
import type { Database } from "../../lib/database.js";
import { pathContains } from "../../lib/graphql/sql.js";
import type { CountByKey } from "../../lib/graphql/stats.js";
import { categories, loans, products } from "./tables.js";
import { LoanGrouping } from "./types.js";

/** Each grouping's key, read on a loan joined to its product and the product's category. */
const KEYS: Record<LoanGrouping, SQL<string>> = {
  [LoanGrouping.MONTH]: sql<string>`to_char(${loans.startDate}, 'YYYY-MM')`,
  [LoanGrouping.CATEGORY]: sql<string>`${categories.name}`,
  [LoanGrouping.INSTANCE]: sql<string>`${products.instanceSlug}`,
};

export interface LoanStatsFilter {
  instanceSlug: string | null;
  /** Products whose owner is in this territory or one it contains. */
  territoryId: string | null;
  /** Start dates, both ends included. */
  from: string | null;
  to: string | null;
}

/** Loans counted by month of their start, category or instance. */
export function countLoans(
  db: Database,
  groupBy: LoanGrouping,
  filter: LoanStatsFilter,
): Promise<CountByKey[]> {
  const key = KEYS[groupBy];
  return db
    .select({ key, count: count() })
    .from(loans)
    .innerJoin(products, eq(products.id, loans.productId))
    .innerJoin(categories, eq(categories.id, products.categoryId))
    .where(
      and(
        filter.instanceSlug ? eq(products.instanceSlug, filter.instanceSlug) : undefined,
        filter.territoryId ? pathContains(products.territoryPath, filter.territoryId) : undefined,
        filter.from ? gte(loans.startDate, filter.from) : undefined,
        filter.to ? lte(loans.startDate, filter.to) : undefined,
      ),
    )
    .groupBy(key)
    .orderBy(key);
}
