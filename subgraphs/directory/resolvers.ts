import "reflect-metadata";
import { and, arrayContains, asc, count, eq, inArray, like, or, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { GraphQLResolveInfo } from "graphql";
import {
  Arg,
  Args,
  ArgsType,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Info,
  Query,
  Resolver,
  Root,
} from "type-graphql";
import type { Database } from "../../lib/database.js";
import { Fact } from "../../lib/facts/fact.js";
import type { FactRow } from "../../lib/facts/table.js";
import { CACHE_SECONDS, CacheFor } from "../../lib/graphql/cache.js";
import {
  type ConnectionShape,
  PageArgs,
  parsePage,
  toConnection,
} from "../../lib/graphql/connection.js";
import { badUserInput } from "../../lib/graphql/errors.js";
import { childSelections, prefetch } from "../../lib/graphql/lookahead.js";
import { pathContains } from "../../lib/graphql/sql.js";
import { CountByKey } from "../../lib/graphql/stats.js";
import type { SubgraphContext } from "../../lib/subgraph.js";
import { normalizeForSearch, parseTerritoryId } from "../../lib/territories.js";
import type { DirectoryLoaders } from "./loaders.js";
import {
  platforms,
  platformTerritories,
  platformThemes,
  territories,
  territorySearchTerms,
} from "./tables.js";
import {
  Organization,
  type OrganizationRow,
  Platform,
  PlatformConnection,
  type PlatformRow,
  Software,
  type SoftwareRow,
  Territory,
  TerritoryConnection,
  TerritoryKind,
  type TerritoryRow,
  Theme,
  type ThemeRow,
} from "./types.js";

type Context = SubgraphContext<DirectoryLoaders>;

/** The largest EPCI has 158 communes: a page of members can always hold a whole EPCI. */
export const MAX_MEMBERS_PAGE_SIZE = 500;
const MAX_SEARCH_LENGTH = 100;

/** A territory id from a client: malformed is an error, unknown is simply not found. */
export function checkTerritoryId(id: string, argument = "id"): string {
  if (!parseTerritoryId(id)) {
    throw badUserInput(
      `Identifiant de territoire invalide : « ${id} » (attendu KIND:CODE, par ex. COM:59350).`,
      { argument },
    );
  }
  return id;
}

function searchTerms(search: string): string {
  const terms = normalizeForSearch(search);
  if (!terms || search.length > MAX_SEARCH_LENGTH) {
    throw badUserInput(
      `La recherche doit contenir entre 1 et ${MAX_SEARCH_LENGTH} caractères utiles.`,
      { argument: "search" },
    );
  }
  return terms;
}

/** Names starting with the terms, or with a word starting with them ("beaumont" → Hénin-Beaumont). */
function platformMatches(terms: string): SQL {
  return or(like(platforms.searchName, `${terms}%`), like(platforms.searchName, `% ${terms}%`))!;
}

/** The same for territories, through their search terms (one index range scan). */
function territoryMatches(db: Database, terms: string): SQL {
  const matching = db
    .select({ id: territorySearchTerms.territoryId })
    .from(territorySearchTerms)
    .where(like(territorySearchTerms.term, `${terms}%`));
  return inArray(territories.id, matching);
}

function platformsServing(territoryId: string, args: PageArgs, loaders: DirectoryLoaders) {
  return loaders.platformsServing.load({ owner: territoryId, page: parsePage(args), filters: {} });
}

@ArgsType()
class TerritoriesArgs extends PageArgs {
  @Field(() => String, {
    nullable: true,
    description: "Part of the name; case, accents and hyphens do not matter.",
  })
  search?: string | null;

  @Field(() => TerritoryKind, { nullable: true })
  kind?: TerritoryKind | null;

  @Field(() => String, {
    nullable: true,
    description: "A postal code (5 digits); it may match several communes.",
  })
  postalCode?: string | null;
}

@Resolver(() => Territory)
export class TerritoryResolver {
  @Query(() => Territory, {
    nullable: true,
    description: "A territory by its id (`KIND:CODE`); null when unknown.",
  })
  territory(
    @Arg("id", () => ID) id: string,
    @Ctx() { loaders }: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<TerritoryRow | null> {
    const territoryId = checkTerritoryId(id);
    // Platforms only need the id: asked now, they share the territory's statement.
    for (const args of childSelections(info, "platforms"))
      prefetch(() => platformsServing(territoryId, args, loaders));
    return loaders.territory.load(territoryId);
  }

  @CacheFor(CACHE_SECONDS.reference)
  @Query(() => TerritoryConnection, {
    description:
      "Territories by name, kind or postal code; exact and leading matches first, then the most populated.",
  })
  async territories(
    @Args(() => TerritoriesArgs) args: TerritoriesArgs,
    @Ctx() { db, loaders }: Context,
  ): Promise<ConnectionShape<TerritoryRow>> {
    const page = parsePage(args);
    const conditions: SQL[] = [];
    const order: SQL[] = [];
    if (args.search != null) {
      const terms = searchTerms(args.search);
      conditions.push(territoryMatches(db, terms));
      order.push(
        sql`case when ${territories.searchName} = ${terms} then 0 when ${territories.searchName} like ${`${terms}%`} then 1 else 2 end`,
      );
    }
    if (args.kind) conditions.push(eq(territories.kind, args.kind));
    if (args.postalCode != null) {
      if (!/^\d[\dAB]\d{3}$/.test(args.postalCode))
        throw badUserInput("Code postal invalide (5 chiffres attendus).", {
          argument: "postalCode",
        });
      conditions.push(arrayContains(territories.postalCodes, [args.postalCode]));
    }
    const where = and(...conditions);
    const [rows, [total]] = await Promise.all([
      loaders.select(
        db
          .select()
          .from(territories)
          .where(where)
          .orderBy(
            ...order,
            sql`${territories.population} desc nulls last`,
            asc(territories.name),
            asc(territories.id),
          )
          .offset(page.offset)
          .limit(page.limit),
      ),
      loaders.select(db.select({ value: count() }).from(territories).where(where)),
    ]);
    return toConnection(rows, page, total?.value ?? 0);
  }

  @FieldResolver(() => Territory, {
    nullable: true,
    description:
      "The commune an associated or delegated commune, or an arrondissement, belongs to.",
  })
  parent(@Root() territory: TerritoryRow, @Ctx() { loaders }: Context) {
    return territory.parentId ? loaders.territory.load(territory.parentId) : null;
  }

  @FieldResolver(() => Territory, {
    nullable: true,
    description: "The EPCI the commune is a member of.",
  })
  epci(@Root() territory: TerritoryRow, @Ctx() { loaders }: Context) {
    return territory.epciId ? loaders.territory.load(territory.epciId) : null;
  }

  @FieldResolver(() => Territory, {
    nullable: true,
    description: "For an EPCI straddling départements, the one most of its communes are in.",
  })
  departement(@Root() territory: TerritoryRow, @Ctx() { loaders }: Context) {
    return territory.departementId ? loaders.territory.load(territory.departementId) : null;
  }

  @FieldResolver(() => Territory, { nullable: true })
  region(@Root() territory: TerritoryRow, @Ctx() { loaders }: Context) {
    return territory.regionId ? loaders.territory.load(territory.regionId) : null;
  }

  @FieldResolver(() => TerritoryConnection, {
    description: `Territories directly under this one: communes of an EPCI or département, départements of a région, associated and delegated communes of a commune. At most ${MAX_MEMBERS_PAGE_SIZE} per page.`,
  })
  members(
    @Root() territory: TerritoryRow,
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() { loaders }: Context,
  ) {
    const page = parsePage(args, MAX_MEMBERS_PAGE_SIZE);
    return loaders.members.load({ owner: territory.id, page, filters: { kind: territory.kind } });
  }

  @FieldResolver(() => PlatformConnection, {
    description: "Platforms serving this territory or a territory containing it.",
  })
  platforms(
    @Root() territory: TerritoryRow,
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() { loaders }: Context,
  ) {
    return platformsServing(territory.id, args, loaders);
  }
}

@Resolver()
export class DirectoryStatsResolver {
  @CacheFor(CACHE_SECONDS.listing)
  @Query(() => [CountByKey], {
    description:
      "For each EPCI of a région, how many platforms serve it, serve a territory containing it or one of its communes.",
  })
  async platformsPerEpci(
    @Arg("regionId", () => ID, { defaultValue: "REG:32" }) regionId: string,
    @Ctx() { db }: Context,
  ): Promise<CountByKey[]> {
    checkTerritoryId(regionId, "regionId");
    const served = alias(territories, "served");
    const rows = await db
      .select({
        key: territories.name,
        count: sql<number>`count(distinct ${platformTerritories.platformSlug})::int`.mapWith(
          Number,
        ),
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
    return rows;
  }
}

@ArgsType()
class PlatformsArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: "A theme slug, e.g. `reparer`." })
  theme?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: "Only platforms serving this territory (or a territory containing it).",
  })
  territoryId?: string | null;

  @Field(() => String, { nullable: true })
  search?: string | null;
}

/** A platform's fields that read by its slug alone, and the loader each reads. */
const READ_BY_SLUG = {
  themes: "themesOfPlatform",
  software: "softwareOfPlatform",
  operator: "operatorOfPlatform",
  territories: "territoriesOfPlatform",
} as const;

/**
 * A platform (root field or entity), and what the query asks of it: asked now, its themes, software,
 * operator and territories share the platform's statement; what it does not ask is not read.
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
    const [rows, [total]] = await Promise.all([
      loaders.select(
        db
          .select({ platform: platforms, themes: loaders.themesOf(platforms.slug) })
          .from(platforms)
          .where(where)
          .orderBy(asc(platforms.name))
          .offset(page.offset)
          .limit(page.limit),
      ),
      loaders.select(db.select({ value: count() }).from(platforms).where(where)),
    ]);
    for (const { platform, themes } of rows) loaders.themesOfPlatform.prime(platform.slug, themes);
    return toConnection(
      rows.map(({ platform }) => platform),
      page,
      total?.value ?? 0,
    );
  }

  @FieldResolver(() => [Theme])
  themes(@Root() platform: PlatformRow, @Ctx() { loaders }: Context): Promise<ThemeRow[]> {
    return loaders.themesOfPlatform.load(platform.slug);
  }

  @FieldResolver(() => Software, { nullable: true })
  software(
    @Root() platform: PlatformRow,
    @Ctx() { loaders }: Context,
  ): Promise<SoftwareRow | null> | null {
    return platform.softwareSlug ? loaders.softwareOfPlatform.load(platform.slug) : null;
  }

  @FieldResolver(() => Organization, { nullable: true, description: "Who runs the platform." })
  operator(
    @Root() platform: PlatformRow,
    @Ctx() { loaders }: Context,
  ): Promise<OrganizationRow | null> | null {
    return platform.operatorId ? loaders.operatorOfPlatform.load(platform.slug) : null;
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

@Resolver(() => Software)
export class SoftwareResolver {
  @FieldResolver(() => [Platform], { description: "The platforms of the directory that run it." })
  platforms(@Root() software: SoftwareRow, @Ctx() { loaders }: Context): Promise<PlatformRow[]> {
    return loaders.platformsRunning.load(software.slug);
  }

  @FieldResolver(() => [Fact], { description: "Where its licence and repository come from." })
  facts(@Root() software: SoftwareRow, @Ctx() { loaders }: Context): Promise<FactRow[]> {
    return loaders.factsOfSoftware.load(software.slug);
  }
}

@Resolver(() => Organization)
export class OrganizationResolver {
  @FieldResolver(() => [Fact], { description: "Where its legal form and SIREN come from." })
  facts(@Root() organization: OrganizationRow, @Ctx() { loaders }: Context): Promise<FactRow[]> {
    return loaders.factsOfOrganization.load(organization.id);
  }
}
