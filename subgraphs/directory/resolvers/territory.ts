import "reflect-metadata";
import { and, arrayContains, asc, count, eq, inArray, like, type SQL, sql } from "drizzle-orm";
import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from "type-graphql";
import type { Database } from "../../../lib/database.js";
import { CACHE_SECONDS, CacheFor } from "../../../lib/graphql/cache.js";
import {
  type ConnectionShape,
  PageArgs,
  pageOf,
  parsePage,
} from "../../../lib/graphql/connection.js";
import { childSelections, prefetch } from "../../../lib/graphql/lookahead.js";
import { checkTerritoryId } from "../../../lib/graphql/territory-id.js";
import { searchTerms } from "../inputs/search.js";
import { checkPostalCode, MAX_MEMBERS_PAGE_SIZE, TerritoriesArgs } from "../inputs/territory.js";
import type { Context, DirectoryLoaders } from "../loaders.js";
import { territories, territorySearchTerms } from "../tables.js";
import { PlatformConnection, Territory, TerritoryConnection, type TerritoryRow } from "../types.js";

/** Territories whose name or one of its words starts with the terms (one index range scan). */
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
    const territoryId = checkTerritoryId(id, "id");
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
  territories(
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
    if (args.postalCode != null)
      conditions.push(arrayContains(territories.postalCodes, [checkPostalCode(args.postalCode)]));
    const where = and(...conditions);
    return pageOf(
      loaders.select,
      page,
      db
        .select()
        .from(territories)
        .where(where)
        .orderBy(
          ...order,
          sql`${territories.population} desc nulls last`,
          asc(territories.name),
          asc(territories.id),
        ),
      db.select({ total: count() }).from(territories).where(where),
    );
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
