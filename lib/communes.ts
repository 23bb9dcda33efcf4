import { loadTerritories, normalizeForSearch, type TerritoryRecord } from "./territories.js";

/**
 * Finds the commune of an address from its city name and postcode, as platforms without INSEE
 * codes give them (Rustine Libre's repairers, EBS's addresses). A postcode alone is ambiguous
 * (59160 is Capinghem and Lille-Lomme) and a name alone too (several Saint-Martin), so both must
 * agree; when they do not single out one commune, the answer is `null` with the reason: the
 * caller reports it rather than guesses.
 */
export type CommuneMatch = { id: string; reason?: undefined } | { id: null; reason: string };

const KINDS = new Set(["COMMUNE", "COMMUNE_ASSOCIEE", "COMMUNE_DELEGUEE"]);
const ABBREVIATIONS: Record<string, string> = { st: "saint", ste: "sainte" };

let byPostcode: Map<string, TerritoryRecord[]> | undefined;

/** Communes by postcode; associated and delegated communes have none and take their parent's. */
function communesByPostcode(): Map<string, TerritoryRecord[]> {
  if (byPostcode) return byPostcode;
  const territories = loadTerritories();
  byPostcode = new Map();
  for (const record of territories.values()) {
    if (!KINDS.has(record.kind)) continue;
    const codes =
      record.postalCodes.length > 0
        ? record.postalCodes
        : (territories.get(record.parentId ?? "")?.postalCodes ?? []);
    for (const code of codes) {
      const list = byPostcode.get(code) ?? [];
      list.push(record);
      byPostcode.set(code, list);
    }
  }
  return byPostcode;
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
const within = (inner: Set<string>, outer: Set<string>) => [...inner].every((w) => outer.has(w));

export function resolveCommune(
  city: string | null | undefined,
  postcode: string | null | undefined,
): CommuneMatch {
  const code = postcode?.trim() ?? "";
  if (!city?.trim()) return { id: null, reason: "no city name" };
  if (!/^\d[0-9AB]\d{3}$/.test(code))
    return { id: null, reason: `postcode "${code}" is not a French postcode` };
  const candidates = communesByPostcode().get(code) ?? [];
  if (candidates.length === 0) return { id: null, reason: `no commune has postcode ${code}` };
  const cityWords = words(city);
  const exact = candidates.filter((c) => sameWords(words(c.name), cityWords));
  if (exact.length === 1) return { id: exact[0]!.id };
  // "Lille-Lomme" names Lomme within Lille: keep the most specific of the names it contains.
  const contained =
    exact.length > 1 ? exact : candidates.filter((c) => within(words(c.name), cityWords));
  const specific = contained.filter((c) => !contained.some((other) => other.parentId === c.id));
  if (specific.length === 1) return { id: specific[0]!.id };
  if (specific.length === 0)
    return { id: null, reason: `no commune named "${city}" has postcode ${code}` };
  return { id: null, reason: `"${city}" ${code} matches ${specific.map((c) => c.id).join(", ")}` };
}
