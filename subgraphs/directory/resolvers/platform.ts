import "reflect-metadata";
import {
  and,
  asc,
  count,
  eq,
  getTableColumns,
  inArray,
  like,
  or,
  type SQL,
  sql,
} from "drizzle-orm";
import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from "type-graphql";
import { Fact } from "../../../lib/facts/fact.js";
import type { FactRow } from "../../../lib/facts/table.js";
import { CACHE_SECONDS, CacheFor } from "../../../lib/graphql/cache.js";
import { type ConnectionShape, pageOf, parsePage } from "../../../lib/graphql/connection.js";
import { childSelections, prefetch } from "../../../lib/graphql/lookahead.js";
import { checkTerritoryId } from "../../../lib/graphql/territory-id.js";
import { PlatformsArgs } from "../inputs/platform.js";
import { searchTerms } from "../inputs/search.js";
import type { Context, DirectoryLoaders } from "../loaders.js";
import { platforms, platformTerritories, platformThemes, territories } from "../tables.js";
import {
  Organization,
  type OrganizationRow,
  Platform,
  PlatformConnection,
  type PlatformRow,
  Software,
  type SoftwareRow,
  Territory,
  type TerritoryRow,
  Theme,
  type ThemeRow,
} from "../types.js";

/** Names starting with the terms, or with a word starting with them ("beaumont" → Hénin-Beaumont). */
function platformMatches(terms: string): SQL {
  return or(like(platforms.searchName, `${terms}%`), like(platforms.searchName, `% ${terms}%`))!;
}

/** A platform's fields that read by its slug alone, and the loader each reads. */
const READ_BY_SLUG = {
  themes: "themesOfPlatform",
  software: "softwareOfPlatform",
  operator: "operatorOfPlatform",
  territories: "territoriesOfPlatform",
  facts: "factsOfPlatform",
} as const;

/**
 * A platform (root field or entity), and what the query asks of it: asked now, its themes, software,
 * operator, territories and facts share the platform's statement; what it does not ask is not read.
 */
export function loadPlatform(
  slug: string,
  loaders: DirectoryLoaders,
  asks: (field: keyof typeof READ_BY_SLUG) => boolean,
): Promise<PlatformRow | null> {
  for (const field of Object.keys(READ_BY_SLUG) as (keyof typeof READ_BY_SLUG)[]) {
    if (asks(field)) prefetch(() => loaders[READ_BY_SLUG[field]].load(slug));
  }
  return loaders.platform.load(slug);
}

@Resolver(() => Platform)
export class PlatformResolver {
  @Query(() => Platform, { nullable: true })
  platform(
    @Arg("slug", () => ID) slug: string,
    @Ctx() { loaders }: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<PlatformRow | null> {
    return loadPlatform(slug, loaders, (field) => childSelections(info, field).length > 0);
  }

  @CacheFor(CACHE_SECONDS.listing)
  @Query(() => PlatformConnection)
  async platforms(
    @Args(() => PlatformsArgs) args: PlatformsArgs,
    @Ctx() { db, loaders }: Context,
  ): Promise<ConnectionShape<PlatformRow>> {
    const page = parsePage(args);
    const conditions: SQL[] = [];
    if (args.search != null) conditions.push(platformMatches(searchTerms(args.search)));
    if (args.theme != null) {
      const withTheme = db
        .select({ slug: platformThemes.platformSlug })
        .from(platformThemes)
        .where(eq(platformThemes.themeSlug, args.theme));
      conditions.push(inArray(platforms.slug, withTheme));
    }
    if (args.territoryId != null) {
      // The territory's path read in the same statement: the territory and those containing it.
      const path = db
        .select({ path: territories.path })
        .from(territories)
        .where(eq(territories.id, checkTerritoryId(args.territoryId, "territoryId")));
      const serving = db
        .select({ slug: platformTerritories.platformSlug })
        .from(platformTerritories)
        .where(sql`${platformTerritories.territoryId} = any(${path}::text[])`);
      conditions.push(inArray(platforms.slug, serving));
    }
    const where = and(...conditions);
    const connection = await pageOf(
      loaders.select,
      page,
      db
        .select({
          ...getTableColumns(platforms),
          themes: loaders.themesOf(platforms.slug),
          facts: loaders.factsOf(platforms.slug),
        })
        .from(platforms)
        .where(where)
        .orderBy(asc(platforms.name)),
      db.select({ total: count() }).from(platforms).where(where),
    );
    for (const { slug, themes, facts } of connection.nodes) {
      loaders.themesOfPlatform.prime(slug, themes);
      loaders.factsOfPlatform.prime(slug, facts);
    }
    return connection;
  }

  @FieldResolver(() => [Theme])
  themes(@Root() platform: PlatformRow, @Ctx() { loaders }: Context): Promise<ThemeRow[]> {
    return loaders.themesOfPlatform.load(platform.slug);
  }

  @FieldResolver(() => Software, { nullable: true })
  software(
    @Root() platform: PlatformRow,
    @Ctx() { loaders }: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<SoftwareRow | null> | null {
    if (!platform.softwareSlug) return null;
    // Its facts are keyed by the slug the platform holds: asked now, they share the software's statement.
    const { softwareSlug } = platform;
    if (childSelections(info, "facts").length > 0)
      prefetch(() => loaders.factsOfSoftware.load(softwareSlug));
    return loaders.softwareOfPlatform.load(platform.slug);
  }

  @FieldResolver(() => Organization, { nullable: true, description: "Who runs the platform." })
  operator(
    @Root() platform: PlatformRow,
    @Ctx() { loaders }: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<OrganizationRow | null> | null {
    if (!platform.operatorId) return null;
    const { operatorId } = platform;
    if (childSelections(info, "facts").length > 0)
      prefetch(() => loaders.factsOfOrganization.load(operatorId));
    return loaders.operatorOfPlatform.load(platform.slug);
  }

  @FieldResolver(() => [Territory], {
    description: "Territories served; the platform also serves every territory they contain.",
  })
  territories(@Root() platform: PlatformRow, @Ctx() { loaders }: Context): Promise<TerritoryRow[]> {
    return loaders.territoriesOfPlatform.load(platform.slug);
  }

  @FieldResolver(() => [Fact], {
    description:
      "Where each of its values comes from (`url`, `description`, `software`, `operator`, `foundedIn`, `territories`...): every non-null one has its public source.",
  })
  facts(@Root() platform: PlatformRow, @Ctx() { loaders }: Context): Promise<FactRow[]> {
    return loaders.factsOfPlatform.load(platform.slug);
  }
}
