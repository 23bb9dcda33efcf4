import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * French territories from `@etalab/decoupage-administratif` (Licence Ouverte). The directory
 * subgraph loads them into its database; the other subgraphs use `territoryPath` to file their
 * located rows (a place, a repairer) under every territory that contains them.
 */

export const TERRITORY_KINDS = {
  REG: "REGION",
  DEP: "DEPARTEMENT",
  EPCI: "EPCI",
  COM: "COMMUNE",
  COMA: "COMMUNE_ASSOCIEE",
  COMD: "COMMUNE_DELEGUEE",
  ARM: "ARRONDISSEMENT_MUNICIPAL",
} as const;

export type TerritoryPrefix = keyof typeof TERRITORY_KINDS;
export type TerritoryKindName = (typeof TERRITORY_KINDS)[TerritoryPrefix];

const ID_PATTERN = /^(REG|DEP|EPCI|COMA|COMD|COM|ARM):([0-9AB]{2,9})$/;

/** Splits `COM:59350` into its kind prefix and code; `null` when malformed. */
export function parseTerritoryId(id: string): { prefix: TerritoryPrefix; code: string } | null {
  const match = ID_PATTERN.exec(id);
  return match ? { prefix: match[1] as TerritoryPrefix, code: match[2]! } : null;
}

export interface TerritoryRecord {
  id: string;
  kind: TerritoryKindName;
  code: string;
  name: string;
  siren: string | null;
  population: number | null;
  postalCodes: string[];
  parentId: string | null;
  epciId: string | null;
  departementId: string | null;
  regionId: string | null;
  /** The territory itself, then every territory that contains it. */
  path: string[];
}

interface CommuneJson {
  code: string;
  nom: string;
  type: "commune-actuelle" | "commune-associee" | "commune-deleguee" | "arrondissement-municipal";
  departement?: string;
  region?: string;
  chefLieu?: string;
  commune?: string;
  siren?: string;
  population?: number;
  codesPostaux?: string[];
}
interface EpciJson {
  code: string;
  nom: string;
  populationTotale?: number;
  membres: { code: string }[];
}
interface DepartementJson {
  code: string;
  nom: string;
  region: string;
}
interface RegionJson {
  code: string;
  nom: string;
}

const require = createRequire(import.meta.url);
/** The package's index reads files relative to the working directory: read its JSON directly. */
const dataDir = join(
  dirname(require.resolve("@etalab/decoupage-administratif/package.json")),
  "data",
);

export const DATASET_VERSION: string = (
  JSON.parse(readFileSync(join(dataDir, "..", "package.json"), "utf8")) as { version: string }
).version;
export const DATASET_SOURCE = "decoupage-administratif";

function readData<T>(file: string): T[] {
  return JSON.parse(readFileSync(join(dataDir, file), "utf8")) as T[];
}

const COMMUNE_PREFIX: Record<CommuneJson["type"], TerritoryPrefix> = {
  "commune-actuelle": "COM",
  "commune-associee": "COMA",
  "commune-deleguee": "COMD",
  "arrondissement-municipal": "ARM",
};

let cached: Map<string, TerritoryRecord> | undefined;

/** Every territory of France, by id: read once per process, and only by what needs the whole tree. */
export function loadTerritories(): Map<string, TerritoryRecord> {
  if (cached) return cached;
  const records = new Map<string, TerritoryRecord>();
  const add = (record: Omit<TerritoryRecord, "path">) =>
    records.set(record.id, { ...record, path: [] });

  for (const region of readData<RegionJson>("regions.json")) {
    add({
      id: `REG:${region.code}`,
      kind: "REGION",
      code: region.code,
      name: region.nom,
      siren: null,
      population: null,
      postalCodes: [],
      parentId: null,
      epciId: null,
      departementId: null,
      regionId: null,
    });
  }
  for (const departement of readData<DepartementJson>("departements.json")) {
    add({
      id: `DEP:${departement.code}`,
      kind: "DEPARTEMENT",
      code: departement.code,
      name: departement.nom,
      siren: null,
      population: null,
      postalCodes: [],
      parentId: null,
      epciId: null,
      departementId: null,
      regionId: `REG:${departement.region}`,
    });
  }

  const epcis = readData<EpciJson>("epci.json");
  const epciOfCommune = new Map<string, string>();
  for (const epci of epcis)
    for (const member of epci.membres) epciOfCommune.set(member.code, `EPCI:${epci.code}`);

  const communes = readData<CommuneJson>("communes.json");
  const currentCommunes = new Map(
    communes.filter((c) => c.type === "commune-actuelle").map((c) => [c.code, c]),
  );
  for (const commune of communes) {
    const prefix = COMMUNE_PREFIX[commune.type];
    // Associated and delegated communes, and municipal arrondissements, belong to a current commune.
    const parentCode = prefix === "COM" ? null : (commune.chefLieu ?? commune.commune ?? null);
    const parent = parentCode ? currentCommunes.get(parentCode) : undefined;
    const departement = commune.departement ?? parent?.departement;
    const region = commune.region ?? parent?.region;
    const epciId = epciOfCommune.get(parentCode ?? commune.code) ?? null;
    add({
      id: `${prefix}:${commune.code}`,
      kind: TERRITORY_KINDS[prefix],
      code: commune.code,
      name: commune.nom,
      siren: commune.siren ?? null,
      population: commune.population ?? null,
      postalCodes: commune.codesPostaux ?? [],
      parentId: parentCode ? `COM:${parentCode}` : null,
      epciId,
      departementId: departement ? `DEP:${departement}` : null,
      regionId: region ? `REG:${region}` : null,
    });
  }

  for (const epci of epcis) {
    // An EPCI may straddle départements: it is filed under the one most of its communes are in.
    const departementId = mostCommon(
      epci.membres.map((m) => records.get(`COM:${m.code}`)?.departementId),
    );
    add({
      id: `EPCI:${epci.code}`,
      kind: "EPCI",
      code: epci.code,
      name: epci.nom,
      siren: epci.code,
      population: epci.populationTotale ?? null,
      postalCodes: [],
      parentId: null,
      epciId: null,
      departementId,
      regionId: departementId ? (records.get(departementId)?.regionId ?? null) : null,
    });
  }

  for (const record of records.values()) {
    const containers = [record.parentId, record.epciId, record.departementId, record.regionId];
    record.path = [record.id, ...containers.filter((id): id is string => id !== null)];
  }
  cached = records;
  return records;
}

function mostCommon(values: (string | null | undefined)[]): string | null {
  const counts = new Map<string, number>();
  for (const value of values) if (value) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best: string | null = null;
  for (const [value, count] of counts) if (best === null || count > counts.get(best)!) best = value;
  return best;
}

/** The territory and all those containing it (`COMA:59355` → Lomme, Lille, the MEL, Nord, Hauts-de-France). */
export function territoryPath(id: string): string[] {
  const record = loadTerritories().get(id);
  if (!record) throw new Error(`Unknown territory ${id}`);
  return record.path;
}

/** Lowercase, without accents, hyphens or apostrophes: what territory and place searches compare. */
export function normalizeForSearch(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}
