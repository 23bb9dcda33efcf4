import { createRequire } from "node:module";
import { loadTerritories, normalizeForSearch, type TerritoryRecord } from "./territories.js";

/**
 * Finds the commune of an address from its city name and postcode, as platforms without INSEE
 * codes give them (Rustine Libre's repairers, EBS's addresses), with La Poste's own table of
 * postcodes (`codes-postaux`, from the Base Adresse Nationale): each postcode of a commune has a
 * *libellé d'acheminement*, which for a postcode serving only part of a commune names that part
 * (59160 in Lille is `LOMME`, 59260 `HELLEMMES LILLE`).
 *
 * A postcode alone is ambiguous (59160 is Capinghem and Lille) and a name alone too (several
 * Saint-Martin), so both must agree; when they do not single out one territory, the answer is
 * `null` with the reason: the caller reports it rather than guesses.
 */
export type CommuneMatch = { id: string; reason?: undefined } | { id: null; reason: string };

/** One row of La Poste's table as `codes-postaux` gives it. */
interface PostalEntry {
  codePostal: string;
  codeCommune: string;
  nomCommune: string;
  libelleAcheminement: string;
}

const ABBREVIATIONS: Record<string, string> = { st: "saint", ste: "sainte" };
const PART_KINDS = new Set(["COMMUNE_ASSOCIEE", "COMMUNE_DELEGUEE"]);

// Read on the first address only: the table (about 36,000 rows) costs nothing to a process that
// never imports. The package indexes all of France at once; it offers no partial load.
let postalTable: { find(postcode: string): PostalEntry[] } | undefined;
const postalEntries = (postcode: string) => {
  postalTable ??= createRequire(import.meta.url)("codes-postaux");
  return postalTable!.find(postcode);
};

let partsByCommune: Map<string, TerritoryRecord[]> | undefined;

/** The communes associées and déléguées of each commune, but the one that bears its name. */
function partsOf(commune: TerritoryRecord): TerritoryRecord[] {
  if (!partsByCommune) {
    partsByCommune = new Map();
    const territories = loadTerritories();
    for (const record of territories.values()) {
      if (!PART_KINDS.has(record.kind) || !record.parentId) continue;
      const parent = territories.get(record.parentId);
      if (!parent || sameWords(words(record.name), words(parent.name))) continue;
      partsByCommune.set(record.parentId, [...(partsByCommune.get(record.parentId) ?? []), record]);
    }
  }
  return partsByCommune.get(commune.id) ?? [];
}

/** The territory La Poste's `codeCommune` stands for: a commune, or a Paris/Lyon/Marseille arrondissement. */
function territoryOf(code: string): TerritoryRecord | undefined {
  const territories = loadTerritories();
  return territories.get(`COM:${code}`) ?? territories.get(`ARM:${code}`);
}

/** The words of a name, without accents, abbreviations spelled out, and "Cedex" dropped. */
function words(name: string): Set<string> {
  return new Set(
    normalizeForSearch(name)
      .split(" ")
      .filter((word) => word && word !== "cedex" && !/^\d+$/.test(word))
      .map((word) => ABBREVIATIONS[word] ?? word),
  );
}

const sameWords = (a: Set<string>, b: Set<string>) =>
  a.size === b.size && [...a].every((w) => b.has(w));

/**
 * Whether `name` names a part of `commune`: every word of its own (Hellemmes-Lille's own is
 * "hellemmes"), and no word that is neither the part's nor the commune's. So "Hellemmes",
 * "Lille-Hellemmes" and "Hellemmes-Lille" all name it, "Lille" does not.
 */
function namesPart(name: Set<string>, part: TerritoryRecord, commune: TerritoryRecord): boolean {
  const partWords = words(part.name);
  const communeWords = words(commune.name);
  const own = [...partWords].filter((w) => !communeWords.has(w));
  // Hesdin within Hesdin-la-Forêt has no word of its own: only its exact name names it.
  if (own.length === 0) return sameWords(name, partWords);
  return (
    own.every((w) => name.has(w)) && [...name].every((w) => partWords.has(w) || communeWords.has(w))
  );
}

export function resolveCommune(
  city: string | null | undefined,
  postcode: string | null | undefined,
): CommuneMatch {
  const code = postcode?.trim() ?? "";
  if (!city?.trim()) return { id: null, reason: "no city name" };
  if (!/^\d[0-9AB]\d{3}$/.test(code))
    return { id: null, reason: `postcode "${code}" is not a French postcode` };
  const entries = postalEntries(code);
  if (entries.length === 0) return { id: null, reason: `no commune has postcode ${code}` };

  const cityWords = words(city);
  /** Parts the address names itself: "Lomme", "Lille-Hellemmes". */
  const named = new Set<string>();
  /** Per commune the address names (by its name or the libellé), where La Poste files it. */
  const filed = new Map<string, Set<string>>();
  for (const entry of entries) {
    const commune = territoryOf(entry.codeCommune);
    if (!commune) continue;
    const parts = partsOf(commune);
    for (const part of parts) if (namesPart(cityWords, part, commune)) named.add(part.id);
    const libelle = words(entry.libelleAcheminement);
    if (
      !sameWords(cityWords, libelle) &&
      !sameWords(cityWords, words(commune.name)) &&
      !sameWords(cityWords, words(entry.nomCommune))
    )
      continue;
    // A postcode that serves only part of the commune: its libellé may name that part (59160, LOMME).
    const partial = commune.postalCodes.some((other) => other !== code);
    const part = partial ? parts.find((p) => namesPart(libelle, p, commune)) : undefined;
    filed.set(commune.id, (filed.get(commune.id) ?? new Set()).add(part?.id ?? commune.id));
  }

  // Two libellés of one commune naming different parts: the address is only sure of the commune.
  const matches = named.size
    ? [...named]
    : [...filed].map(([communeId, ids]) => (ids.size === 1 ? [...ids][0]! : communeId));
  if (matches.length === 1) return { id: matches[0]! };
  if (matches.length === 0)
    return { id: null, reason: `no commune named "${city}" has postcode ${code}` };
  return { id: null, reason: `"${city}" ${code} matches ${matches.sort().join(", ")}` };
}
