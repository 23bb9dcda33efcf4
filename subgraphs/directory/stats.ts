import { and, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Database } from "../../lib/database.js";
import { pathContains } from "../../lib/graphql/sql.js";
import type { CountByKey } from "../../lib/graphql/stats.js";
import { platformTerritories, territories } from "./tables.js";

/**
 * For each EPCI of a région, how many platforms serve it, a territory containing it or one of its
 * communes: a platform counts once per EPCI however many of these it serves.
 */
export function platformsPerEpci(db: Database, regionId: string): Promise<CountByKey[]> {
  const served = alias(territories, "served");
  return db
    .select({
      key: territories.name,
      count: sql<number>`count(distinct ${platformTerritories.platformSlug})::int`.mapWith(Number),
    })
    .from(territories)
    .innerJoin(
      served,
      sql`${served.id} = any(${territories.path}) or ${pathContains(served.path, territories.id)}`,
    )
    .innerJoin(platformTerritories, eq(platformTerritories.territoryId, served.id))
    .where(and(eq(territories.kind, "EPCI"), eq(territories.regionId, regionId)))
    .groupBy(territories.name)
    .orderBy(sql`2 desc`, territories.name);
}
