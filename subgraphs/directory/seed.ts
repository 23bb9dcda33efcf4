import { eq, inArray, notInArray, sql } from "drizzle-orm";
import type { Database } from "../../lib/database.js";
import { type FactsFile, readFactsFile } from "../../lib/facts/file.js";
import { factRows, replaceFacts } from "../../lib/facts/table.js";
import { contentVersion, loadDatasetOnce, takeIncoming } from "../../lib/seed.js";
import {
  DATASET_SOURCE,
  DATASET_VERSION,
  loadTerritories,
  normalizeForSearch,
} from "../../lib/territories.js";
import {
  datasetImports,
  facts,
  organizations,
  platforms,
  platformTerritories,
  platformThemes,
  software,
  territories,
  territorySearchTerms,
  themes,
} from "./tables.js";

const BATCH_SIZE = 1000;

/** Every French territory, once per version of the dataset, in batches with a progress line. */
async function seedTerritories(db: Database, progress: (line: string) => void): Promise<void> {
  const dataset = `${DATASET_SOURCE}@${DATASET_VERSION}`;
  const loaded = await loadDatasetOnce(
    db,
    datasetImports,
    DATASET_SOURCE,
    DATASET_VERSION,
    async (tx) => {
      const records = [...loadTerritories().values()];
      for (let start = 0; start < records.length; start += BATCH_SIZE) {
        const batch = records.slice(start, start + BATCH_SIZE).map((record) => ({
          ...record,
          searchName: normalizeForSearch(record.name),
          source: dataset,
          sourceId: record.code,
        }));
        await tx
          .insert(territories)
          .values(batch)
          .onConflictDoUpdate({ target: territories.id, set: takeIncoming(territories) });
        // A new version of the dataset may rename a territory: its terms are written anew.
        await tx.delete(territorySearchTerms).where(
          inArray(
            territorySearchTerms.territoryId,
            batch.map((t) => t.id),
          ),
        );
        await tx
          .insert(territorySearchTerms)
          .values(
            batch.flatMap((t) =>
              searchTermsOf(t.searchName).map((term) => ({ term, territoryId: t.id })),
            ),
          );
        progress(
          `directory: territoires ${Math.min(start + BATCH_SIZE, records.length)}/${records.length}`,
        );
      }
      return records.length;
    },
  );
  // Fresh statistics, so that the planner uses the search and path indexes from the first query.
  if (loaded) await db.execute(sql`analyze ${territories}, ${territorySearchTerms}`);
}

/** "henin beaumont" → ["henin beaumont", "beaumont"]: a search matches from the start of any word. */
export function searchTermsOf(searchName: string): string[] {
  const words = searchName.split(" ");
  return [...new Set(words.map((_, index) => words.slice(index).join(" ")))];
}

/**
 * The programme's platforms, software and organizations from data/facts.json: each record's
 * columns take its sourced facts (null where no page states one), and `facts` keeps their sources.
 */
export function seedProgramme(db: Database, file: FactsFile = readFactsFile()): Promise<boolean> {
  const data = { ...file, collectivites: undefined };
  return loadDatasetOnce(
    db,
    datasetImports,
    "facts:directory",
    contentVersion(data),
    async (tx) => {
      for (const { slug, name, source, facts: known } of file.software) {
        const row = {
          slug,
          name,
          licence: known.licence?.value ?? null,
          repositoryUrl: known.repository?.value ?? null,
          source,
          sourceId: null,
        };
        await tx
          .insert(software)
          .values(row)
          .onConflictDoUpdate({ target: software.slug, set: row });
      }
      for (const { id, name, source, facts: known } of file.organizations) {
        const row = {
          id,
          name,
          siren: known.siren?.value ?? null,
          legalForm: known.legalForm?.value ?? null,
          source,
          sourceId: null,
        };
        await tx
          .insert(organizations)
          .values(row)
          .onConflictDoUpdate({ target: organizations.id, set: row });
      }
      for (const row of file.themes)
        await tx.insert(themes).values(row).onConflictDoUpdate({ target: themes.slug, set: row });

      const listed = file.platforms.map((p) => p.slug);
      // A platform removed from the file leaves the directory.
      const removed = tx
        .select({ slug: platforms.slug })
        .from(platforms)
        .where(notInArray(platforms.slug, listed));
      await tx.delete(platformThemes).where(inArray(platformThemes.platformSlug, removed));
      await tx
        .delete(platformTerritories)
        .where(inArray(platformTerritories.platformSlug, removed));
      await tx.delete(platforms).where(notInArray(platforms.slug, listed));
      for (const entry of file.platforms) {
        const { facts: known } = entry;
        const row = {
          slug: entry.slug,
          name: entry.name,
          searchName: normalizeForSearch(entry.name),
          url: known.url?.value ?? null,
          contactUrl: known.contactUrl?.value ?? null,
          description: known.description?.value ?? entry.description,
          foundedIn: known.foundedIn?.value ?? null,
          softwareSlug: known.software?.value ?? null,
          operatorId: known.operator?.value ?? null,
          source: entry.source,
          sourceId: null,
        };
        await tx
          .insert(platforms)
          .values(row)
          .onConflictDoUpdate({ target: platforms.slug, set: row });
        await tx.delete(platformThemes).where(eq(platformThemes.platformSlug, entry.slug));
        await tx
          .delete(platformTerritories)
          .where(eq(platformTerritories.platformSlug, entry.slug));
        if (entry.themes.length)
          await tx
            .insert(platformThemes)
            .values(entry.themes.map((themeSlug) => ({ platformSlug: entry.slug, themeSlug })));
        await tx.insert(platformTerritories).values(
          (known.territories?.value ?? entry.territories).map((territoryId) => ({
            platformSlug: entry.slug,
            territoryId,
          })),
        );
      }

      await replaceFacts(
        tx,
        facts,
        "software",
        file.software.flatMap((s) => factRows("software", s.slug, s.facts)),
      );
      await replaceFacts(
        tx,
        facts,
        "organization",
        file.organizations.flatMap((o) => factRows("organization", o.id, o.facts)),
      );
      await replaceFacts(
        tx,
        facts,
        "platform",
        file.platforms.flatMap((p) => factRows("platform", p.slug, p.facts)),
      );
      return file.platforms.length;
    },
  );
}

export async function seed(db: Database, progress: (line: string) => void): Promise<void> {
  await seedTerritories(db, progress);
  await seedProgramme(db);
}
