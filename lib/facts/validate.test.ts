import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadTerritories } from "../territories.js";
import { FACTS_FILE, type FactsFile, readFactsFile } from "./file.js";
import { FactsFileError, validateFacts } from "./validate.js";

const original = JSON.parse(readFileSync(FACTS_FILE, "utf8")) as FactsFile;

/** The problems validation finds in the file once `change` is applied to a copy of it. */
function problemsAfter(change: (file: FactsFile) => void): string[] {
  const file = structuredClone(original);
  change(file);
  try {
    validateFacts(file);
  } catch (error) {
    expect(error).toBeInstanceOf(FactsFileError);
    return (error as FactsFileError).problems;
  }
  return [];
}

const platform = (file: FactsFile, slug: string) => file.platforms.find((p) => p.slug === slug)!;
const indexOf = (slug: string) => original.platforms.findIndex((p) => p.slug === slug);

describe("data/facts.json", () => {
  it("passes validation as committed", () => {
    expect(readFactsFile().platforms.length).toBe(original.platforms.length);
  });

  it("names only territories that exist in the reference data", () => {
    const known = loadTerritories();
    const named = original.platforms.flatMap((p) => [
      ...p.territories,
      ...(p.facts.territories?.value ?? []),
    ]);
    expect(named.filter((id) => !known.has(id))).toEqual([]);
  });
});

describe("validateFacts", () => {
  it("refuses a fact without a source", () => {
    const problems = problemsAfter((file) => {
      delete (platform(file, "coopcircuits").facts.url as { sourceUrl?: string }).sourceUrl;
    });
    expect(problems).toContain(
      `/platforms/${indexOf("coopcircuits")}/facts/url: must have required property 'sourceUrl'`,
    );
  });

  it("refuses a fact without the day it was read, or with a day that is not a date", () => {
    const missing = problemsAfter((file) => {
      delete (platform(file, "tipimi").facts.url as { retrievedOn?: string }).retrievedOn;
    });
    expect(missing).toContain(
      `/platforms/${indexOf("tipimi")}/facts/url: must have required property 'retrievedOn'`,
    );
    const malformed = problemsAfter((file) => {
      platform(file, "tipimi").facts.url!.retrievedOn = "02/12/2026";
    });
    expect(malformed).toContain(
      `/platforms/${indexOf("tipimi")}/facts/url/retrievedOn: must match format "date"`,
    );
  });

  it("refuses a malformed URL, as a source or as a value", () => {
    const source = problemsAfter((file) => {
      platform(file, "lille-bike").facts.url!.sourceUrl = "lille.bike/?p=1801";
    });
    expect(
      source.some((p) =>
        p.startsWith(`/platforms/${indexOf("lille-bike")}/facts/url/sourceUrl: must match`),
      ),
    ).toBe(true);
    const value = problemsAfter((file) => {
      platform(file, "lille-bike").facts.url!.value = "https://lille bike";
    });
    expect(
      value.some((p) =>
        p.startsWith(`/platforms/${indexOf("lille-bike")}/facts/url/value: must match`),
      ),
    ).toBe(true);
  });

  it("refuses a licence that is not an SPDX id, and takes a deprecated one", () => {
    const index = original.software.findIndex((s) => s.slug === "open-food-network");
    const wrong = problemsAfter((file) => {
      file.software[index]!.facts.licence!.value = "AGPL v3";
    });
    expect(wrong).toEqual([
      `/software/${index}/facts/licence/value: AGPL v3 is not an SPDX licence id`,
    ]);
    for (const id of ["AGPL-3.0-only", "AGPL-3.0", "MIT"])
      expect(
        problemsAfter((file) => {
          file.software[index]!.facts.licence!.value = id;
        }),
      ).toEqual([]);
  });

  it("refuses a link to a software, an organization or a theme the file does not hold", () => {
    const problems = problemsAfter((file) => {
      platform(file, "coopcircuits").facts.software!.value = "open-food";
      platform(file, "coopcircuits").facts.operator!.value = "coop-circuits";
      platform(file, "coopcircuits").themes = ["manger"];
    });
    const at = `/platforms/${indexOf("coopcircuits")}`;
    expect(problems).toEqual([
      `${at}/themes: unknown theme manger`,
      `${at}/facts/software/value: unknown software open-food`,
      `${at}/facts/operator/value: unknown organization coop-circuits`,
    ]);
  });

  it("refuses a duplicate id, a field it does not know and a year that is not a number", () => {
    expect(
      problemsAfter((file) => {
        file.platforms.push(structuredClone(file.platforms[0]!));
      }),
    ).toEqual([
      `/platforms/${original.platforms.length}: duplicate id ${original.platforms[0]!.slug}`,
    ]);
    expect(
      problemsAfter((file) => {
        (platform(file, "tipimi").facts as Record<string, unknown>).logo = platform(
          file,
          "tipimi",
        ).facts.url;
      }),
    ).toContain(
      `/platforms/${indexOf("tipimi")}/facts: must NOT have additional properties (logo)`,
    );
    expect(
      problemsAfter((file) => {
        (platform(file, "tipimi").facts.foundedIn as { value: unknown }).value = "2017";
      }),
    ).toContain(`/platforms/${indexOf("tipimi")}/facts/foundedIn/value: must be integer`);
  });
});
