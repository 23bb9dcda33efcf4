import { readFileSync } from "node:fs";
import { sourcePath } from "../paths.js";
import { validateFacts } from "./validate.js";

/**
 * data/facts.json: the directory's platforms, software, organizations and collectivités, each
 * public fact with the page that states it. docs/directory-data.md says how to correct one.
 */
export const FACTS_FILE = sourcePath(import.meta.url, "../../data/facts.json");

/** One public fact: its value, the page that states it and the day it was read. */
export interface Fact<Value = string> {
  value: Value;
  sourceUrl: string;
  /** `YYYY-MM-DD`. */
  retrievedOn: string;
  note?: string;
}

/**
 * Where a record comes from: the Apes' texts on PlateformCoop, the public pages its facts cite,
 * or `placeholder` (not verified, never shown as a fact).
 */
export type RecordSource = "apes-plateformcoop" | "public-pages" | "placeholder";

export interface SoftwareEntry {
  slug: string;
  name: string;
  source: RecordSource;
  facts: { licence?: Fact; repository?: Fact };
}

export interface OrganizationEntry {
  id: string;
  name: string;
  source: RecordSource;
  facts: { legalForm?: Fact; siren?: Fact };
}

export interface ThemeEntry {
  slug: string;
  label: string;
  source: RecordSource;
}

export interface PlatformEntry {
  slug: string;
  name: string;
  /** What the programme's texts say; a `description` fact replaces it. */
  description: string;
  themes: string[];
  /** Where the programme's texts place it; a `territories` fact replaces it. */
  territories: string[];
  source: RecordSource;
  facts: {
    url?: Fact;
    contactUrl?: Fact;
    description?: Fact;
    software?: Fact;
    operator?: Fact;
    foundedIn?: Fact<number>;
    territories?: Fact<string[]>;
  };
}

export interface CollectiviteEntry {
  id: string;
  facts: { url?: Fact };
}

export interface FactsFile {
  software: SoftwareEntry[];
  organizations: OrganizationEntry[];
  themes: ThemeEntry[];
  platforms: PlatformEntry[];
  collectivites: CollectiviteEntry[];
}

/** The file, read and validated: a hub never seeds facts that fail the checks. */
export function readFactsFile(path = FACTS_FILE): FactsFile {
  return validateFacts(JSON.parse(readFileSync(path, "utf8")), path);
}
