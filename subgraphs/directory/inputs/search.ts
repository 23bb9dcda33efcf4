import { badUserInput } from "../../../lib/graphql/errors.js";
import { normalizeForSearch } from "../../../lib/territories.js";

const MAX_SEARCH_LENGTH = 100;

/** The terms a `search` argument looks for: lower case, without accents or hyphens. */
export function searchTerms(search: string): string {
  const terms = normalizeForSearch(search);
  if (!terms || search.length > MAX_SEARCH_LENGTH) {
    throw badUserInput(
      `La recherche doit contenir entre 1 et ${MAX_SEARCH_LENGTH} caractères utiles.`,
      { argument: "search" },
    );
  }
  return terms;
}
