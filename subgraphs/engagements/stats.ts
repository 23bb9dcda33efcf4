import { count, eq, type SQL, sql } from "drizzle-orm";
import type { Database } from "../../lib/database.js";
import type { CountByKey } from "../../lib/graphql/stats.js";
import { engagementPlatforms, engagements } from "./tables.js";
import { EngagementGrouping } from "./types.js";

/** Each grouping's key; PLATFORM reads an engagement once per platform it names. */
const KEYS: Record<EngagementGrouping, SQL<string>> = {
  [EngagementGrouping.STATUS]: sql<string>`${engagements.status}`,
  [EngagementGrouping.THEME]: sql<string>`coalesce(${engagements.theme}, 'sans thème')`,
  [EngagementGrouping.COLLECTIVITE]: sql<string>`${engagements.collectiviteId}`,
  [EngagementGrouping.PLATFORM]: sql<string>`${engagementPlatforms.platformSlug}`,
};

/** Engagements counted by status, theme, collectivité or platform. */
export function countEngagements(db: Database, groupBy: EngagementGrouping): Promise<CountByKey[]> {
  const key = KEYS[groupBy];
  const base = db.select({ key, count: count() }).from(engagements);
  const joined =
    groupBy === EngagementGrouping.PLATFORM
      ? base.innerJoin(engagementPlatforms, eq(engagementPlatforms.engagementId, engagements.id))
      : base;
  return joined.groupBy(key).orderBy(key);
}
