import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../lib/database.js";
import { type FactsFile, readFactsFile } from "../../lib/facts/file.js";
import { openTestDatabase } from "../../test/harness.js";
import { seedProgramme } from "./seed.js";
import {
  facts,
  organizations,
  platforms,
  platformTerritories,
  platformThemes,
  software,
} from "./tables.js";

let database: DatabaseHandle;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database?.close());

/** Everything the programme's seed writes, in a stable order. */
async function programmeRows() {
  const { db } = database;
  return {
    software: await db.select().from(software).orderBy(asc(software.slug)),
    organizations: await db.select().from(organizations).orderBy(asc(organizations.id)),
    platforms: await db.select().from(platforms).orderBy(asc(platforms.slug)),
    themes: await db
      .select()
      .from(platformThemes)
      .orderBy(asc(platformThemes.platformSlug), asc(platformThemes.themeSlug)),
    territories: await db
      .select()
      .from(platformTerritories)
      .orderBy(asc(platformTerritories.platformSlug), asc(platformTerritories.territoryId)),
    facts: await db
      .select()
      .from(facts)
      .orderBy(asc(facts.subjectType), asc(facts.subjectId), asc(facts.field)),
  };
}

const platformFacts = (slug: string) =>
  database.db
    .select({ field: facts.field, value: facts.value, sourceUrl: facts.sourceUrl })
    .from(facts)
    .where(and(eq(facts.subjectType, "platform"), eq(facts.subjectId, slug)))
    .orderBy(asc(facts.field));

describe("the programme's seed", () => {
  it("loads data/facts.json once: a second start writes nothing", async () => {
    const before = await programmeRows();
    expect(await seedProgramme(database.db)).toBe(false);
    expect(await programmeRows()).toEqual(before);
    expect(before.facts.every((fact) => fact.sourceUrl.startsWith("http"))).toBe(true);
  });

  it("applies a corrected file in place, drops what it no longer states, and comes back to the same rows", async () => {
    const committed = readFactsFile();
    const before = await programmeRows();

    const corrected: FactsFile = structuredClone(committed);
    const coopcircuits = corrected.platforms.find((p) => p.slug === "coopcircuits")!;
    coopcircuits.facts.url = {
      value: "https://coopcircuits.fr",
      sourceUrl: "https://apropos.coopcircuits.fr/",
      retrievedOn: "2026-12-03",
    };
    delete corrected.platforms.find((p) => p.slug === "tipimi")!.facts.url;
    corrected.platforms = corrected.platforms.filter((p) => p.slug !== "beefast");

    expect(await seedProgramme(database.db, corrected)).toBe(true);
    const [coop] = await database.db
      .select()
      .from(platforms)
      .where(eq(platforms.slug, "coopcircuits"));
    expect(coop?.url).toBe("https://coopcircuits.fr");
    expect(await platformFacts("coopcircuits")).toContainEqual({
      field: "url",
      value: "https://coopcircuits.fr",
      sourceUrl: "https://apropos.coopcircuits.fr/",
    });
    const [tipimi] = await database.db.select().from(platforms).where(eq(platforms.slug, "tipimi"));
    expect(tipimi?.url).toBeNull();
    expect((await platformFacts("tipimi")).map((f) => f.field)).not.toContain("url");
    expect(await database.db.select().from(platforms).where(eq(platforms.slug, "beefast"))).toEqual(
      [],
    );
    expect(await platformFacts("beefast")).toEqual([]);

    // The same corrected file again: already there, nothing written.
    const corrections = await programmeRows();
    expect(await seedProgramme(database.db, corrected)).toBe(false);
    expect(await programmeRows()).toEqual(corrections);

    // Back to the committed file: the very rows of the first load.
    expect(await seedProgramme(database.db, committed)).toBe(true);
    expect(await programmeRows()).toEqual(before);
  });
});
