import { sql } from "drizzle-orm";
import { index, integer, pgSchema, primaryKey, text } from "drizzle-orm/pg-core";
import { factsTable } from "../../lib/facts/table.js";
import { datasetImportsTable } from "../../lib/seed.js";

/** Everything the directory (Nos Déclics) owns lives in this PostgreSQL schema. */
export const directory = pgSchema("directory");

export const territories = directory.table(
  "territories",
  {
    id: text("id").primaryKey(),
    kind: text("kind").notNull(),
    code: text("code").notNull(),
    name: text("name").notNull(),
    /** `name` lowercased, without accents or punctuation: what searches compare. */
    searchName: text("search_name").notNull(),
    siren: text("siren"),
    population: integer("population"),
    postalCodes: text("postal_codes").array().notNull().default(sql`'{}'`),
    parentId: text("parent_id"),
    epciId: text("epci_id"),
    departementId: text("departement_id"),
    regionId: text("region_id"),
    /** The territory itself, then every territory containing it. */
    path: text("path").array().notNull(),
    source: text("source").notNull(),
    sourceId: text("source_id").notNull(),
  },
  (t) => [
    index("territories_path_gin").using("gin", t.path),
    index("territories_postal_codes_gin").using("gin", t.postalCodes),
    index("territories_kind_name").on(t.kind, t.name),
  ],
);

/**
 * What a territory search matches: the territory's normalized name from each word on
 * ("henin beaumont", "beaumont"), so that a prefix of any of them is one index range scan.
 */
export const territorySearchTerms = directory.table(
  "territory_search_terms",
  {
    term: text("term").notNull(),
    territoryId: text("territory_id")
      .notNull()
      .references(() => territories.id),
  },
  (t) => [
    primaryKey({ columns: [t.territoryId, t.term] }),
    index("territory_search_terms_prefix").on(t.term.op("text_pattern_ops")),
  ],
);

export const datasetImports = datasetImportsTable(directory);

export const software = directory.table("software", {
  slug: text("slug").primaryKey(),
  name: text("name").notNull(),
  licence: text("licence"),
  repositoryUrl: text("repository_url"),
  source: text("source").notNull(),
  sourceId: text("source_id"),
});

export const organizations = directory.table("organizations", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  siren: text("siren"),
  legalForm: text("legal_form"),
  source: text("source").notNull(),
  sourceId: text("source_id"),
});

export const themes = directory.table("themes", {
  slug: text("slug").primaryKey(),
  label: text("label").notNull(),
  source: text("source").notNull(),
});

export const platforms = directory.table(
  "platforms",
  {
    slug: text("slug").primaryKey(),
    name: text("name").notNull(),
    searchName: text("search_name").notNull(),
    url: text("url"),
    contactUrl: text("contact_url"),
    description: text("description").notNull(),
    foundedIn: integer("founded_in"),
    softwareSlug: text("software_slug").references(() => software.slug),
    operatorId: text("operator_id").references(() => organizations.id),
    source: text("source").notNull(),
    sourceId: text("source_id"),
  },
  // A few hundred platforms at most: a scan is as fast as an index.
);

export const platformThemes = directory.table(
  "platform_themes",
  {
    platformSlug: text("platform_slug")
      .notNull()
      .references(() => platforms.slug),
    themeSlug: text("theme_slug")
      .notNull()
      .references(() => themes.slug),
  },
  (t) => [
    primaryKey({ columns: [t.platformSlug, t.themeSlug] }),
    index("platform_themes_theme").on(t.themeSlug),
  ],
);

/** The territories a platform serves; it also serves every territory they contain. */
export const platformTerritories = directory.table(
  "platform_territories",
  {
    platformSlug: text("platform_slug")
      .notNull()
      .references(() => platforms.slug),
    territoryId: text("territory_id")
      .notNull()
      .references(() => territories.id),
  },
  (t) => [
    primaryKey({ columns: [t.platformSlug, t.territoryId] }),
    index("platform_territories_territory").on(t.territoryId),
  ],
);

/** Where each value of a platform, a software or an organization comes from (data/facts.json). */
export const facts = factsTable(directory);
