import { asc, eq, getTableColumns, inArray, type SQL, type SQLWrapper, sql } from "drizzle-orm";
import type { Database } from "../../lib/database.js";
import { factsOfType } from "../../lib/facts/loader.js";
import { createRequestBatch } from "../../lib/graphql/batch.js";
import { jsonRows } from "../../lib/graphql/json-rows.js";
import { byKey, groupedBy } from "../../lib/graphql/loaders.js";
import { createPageLoader, rankedLists } from "../../lib/graphql/paged-loader.js";
import {
  columnsOf,
  pathContains,
  rankedPage,
  rankOver,
  textArray,
  totalOver,
} from "../../lib/graphql/sql.js";
import type { SubgraphContext } from "../../lib/subgraph.js";
import {
  facts,
  organizations,
  platforms,
  platformTerritories,
  platformThemes,
  software,
  territories,
  themes,
} from "./tables.js";
import type { OrganizationRow, PlatformRow, SoftwareRow, TerritoryRow, ThemeRow } from "./types.js";

/** The kinds of territory listed as `members` of each kind. */
const MEMBER_KINDS: Record<string, string[]> = {
  REGION: ["DEPARTEMENT"],
  DEPARTEMENT: ["COMMUNE"],
  EPCI: ["COMMUNE"],
  COMMUNE: ["COMMUNE_ASSOCIEE", "COMMUNE_DELEGUEE", "ARRONDISSEMENT_MUNICIPAL"],
};

/** The owners of a batch of page requests, as a table `o(owner)` to join against. */
const ownersTable = (owners: string[]) => sql`unnest(${textArray(owners)}) as o(owner)`;
const owner = sql<string>`o.owner`;

/** A theme as the directory lists it under a platform. */
const themeFields = { slug: themes.slug, label: themes.label, source: themes.source };

export function createLoaders(db: Database) {
  const batch = createRequestBatch(db);
  const { select } = batch;
  /** The themes of the platforms `which` picks: one query for the loader and for the lists that prime it. */
  const themesWhere = (which: SQL) =>
    db
      .select({ ...themeFields, owner: platformThemes.platformSlug })
      .from(platformThemes)
      .innerJoin(themes, eq(themes.slug, platformThemes.themeSlug))
      .where(which)
      .orderBy(asc(themes.label));
  const themesOfPlatform = groupedBy<ThemeRow, string>(batch, (slugs) =>
    select(themesWhere(inArray(platformThemes.platformSlug, slugs))),
  );
  /** The themes of the platform `slug` points at, for a list of platforms to carry in its own statement. */
  const themesOf = (slug: SQLWrapper) =>
    jsonRows(themesWhere(sql`${platformThemes.platformSlug} = ${slug}`));

  const platformFacts = factsOfType(batch, db, facts, "platform");

  /** The row of `table` each platform points at (`on`), by the platform's slug. */
  const pointedAt = <Row>(table: typeof software | typeof organizations, on: SQL) =>
    byKey<Row & { owner: string }, string>(
      batch,
      (slugs) =>
        select(
          db
            .select({ ...getTableColumns(table), owner: platforms.slug })
            .from(platforms)
            .innerJoin(table, on)
            .where(inArray(platforms.slug, slugs)),
        ) as Promise<(Row & { owner: string })[]>,
      (row) => row.owner,
    );

  return {
    /** A select in this turn's statement: a root list and its count go out together. */
    select,
    /** The themes of the platform `slug` points at, as a column: a list carries them, then primes `themesOfPlatform`. */
    themesOf,
    territory: byKey<TerritoryRow, string>(
      batch,
      (ids) => select(db.select().from(territories).where(inArray(territories.id, ids))),
      (t) => t.id,
    ),
    /** The platform alone: what its fields read is keyed by its slug, so a lookahead can ask for it in the same turn. */
    platform: byKey<PlatformRow, string>(
      batch,
      (slugs) => select(db.select().from(platforms).where(inArray(platforms.slug, slugs))),
      (p) => p.slug,
    ),
    organization: byKey<OrganizationRow, string>(
      batch,
      (ids) => select(db.select().from(organizations).where(inArray(organizations.id, ids))),
      (o) => o.id,
    ),
    themesOfPlatform,
    /** The software each platform runs, by the platform's slug. */
    softwareOfPlatform: pointedAt<SoftwareRow>(software, eq(software.slug, platforms.softwareSlug)),
    /** Who runs each platform, by the platform's slug. */
    operatorOfPlatform: pointedAt<OrganizationRow>(
      organizations,
      eq(organizations.id, platforms.operatorId),
    ),
    /** The platforms running each software, by the software's slug. */
    platformsRunning: groupedBy<PlatformRow, string>(batch, (slugs) =>
      select(
        db
          .select({ ...getTableColumns(platforms), owner: sql<string>`${platforms.softwareSlug}` })
          .from(platforms)
          .where(inArray(platforms.softwareSlug, slugs))
          .orderBy(asc(platforms.name)),
      ),
    ),
    factsOfPlatform: platformFacts.loader,
    /** The facts of the platform `slug` points at, as a column: a list carries them, then primes `factsOfPlatform`. */
    factsOf: platformFacts.of,
    factsOfSoftware: factsOfType(batch, db, facts, "software").loader,
    factsOfOrganization: factsOfType(batch, db, facts, "organization").loader,
    territoriesOfPlatform: groupedBy<TerritoryRow, string>(batch, async (slugs) => {
      const rows = await select(
        db
          .select({ territory: territories, owner: platformTerritories.platformSlug })
          .from(platformTerritories)
          .innerJoin(territories, eq(territories.id, platformTerritories.territoryId))
          .where(inArray(platformTerritories.platformSlug, slugs))
          .orderBy(asc(territories.name)),
      );
      return rows.map(({ territory, owner }) => ({ ...territory, owner }));
    }),

    /** Members of each territory: the communes of an EPCI or département, the départements of a région... */
    members: createPageLoader<TerritoryRow, { kind: string }>(
      batch,
      async (owners, page, { kind }) => {
        const ranked = db
          .select({
            ...getTableColumns(territories),
            owner: owner.as("owner"),
            rank: rankOver(owner, sql`${territories.name}, ${territories.id}`),
            total: totalOver(owner),
          })
          .from(ownersTable(owners))
          .innerJoin(territories, pathContains(territories.path, sql`o.owner`))
          .where(inArray(territories.kind, MEMBER_KINDS[kind] ?? []))
          .as("ranked");
        const rows = await select(db.select().from(ranked).where(rankedPage(ranked.rank, page)));
        return rankedLists(
          page,
          rows.map(({ owner, rank, total, ...row }) => ({ owner, rank, total, row })),
        );
      },
    ),

    /** Platforms serving each territory, or a territory containing it (a platform of the MEL serves Lomme). */
    platformsServing: createPageLoader<PlatformRow>(batch, async (owners, page) => {
      const served = db
        .selectDistinct({ owner: owner.as("owner"), slug: platformTerritories.platformSlug })
        .from(ownersTable(owners))
        .innerJoin(territories, sql`${territories.id} = o.owner`)
        .innerJoin(
          platformTerritories,
          sql`${platformTerritories.territoryId} = any(${territories.path})`,
        )
        .as("served");
      const ranked = db
        .select({
          ...getTableColumns(platforms),
          owner: served.owner,
          rank: rankOver(served.owner, sql`${platforms.name}`),
          total: totalOver(served.owner),
        })
        .from(served)
        .innerJoin(platforms, eq(platforms.slug, served.slug))
        .as("ranked");
      // Each platform of the page carries its themes and facts: `Platform.themes` and `Platform.facts`
      // read them from their loaders, primed.
      const rows = await select(
        db
          .select({
            ...columnsOf(ranked),
            themes: themesOf(ranked.slug),
            facts: platformFacts.of(ranked.slug),
          })
          .from(ranked)
          .where(rankedPage(ranked.rank, page)),
      );
      return rankedLists(
        page,
        rows.map(({ owner, rank, total, themes, facts: known, ...row }) => {
          themesOfPlatform.prime(row.slug, themes);
          platformFacts.loader.prime(row.slug, known);
          return { owner, rank, total, row };
        }),
      );
    }),
  };
}

export type DirectoryLoaders = ReturnType<typeof createLoaders>;

/** What every resolver of the directory receives. */
export type Context = SubgraphContext<DirectoryLoaders>;
