import { parseTerritoryId } from "../territories.js";
import { badUserInput } from "./errors.js";

/**
 * A territory id from a client, checked before it reaches SQL: malformed is an error, with one
 * message in every subgraph; well-formed but unknown is simply not found.
 */
export function checkTerritoryId(id: string, argument: string): string {
  if (!parseTerritoryId(id)) {
    throw badUserInput(
      `Identifiant de territoire invalide : « ${id} » (attendu KIND:CODE, par ex. COM:59350).`,
      { argument },
    );
  }
  return id;
}
