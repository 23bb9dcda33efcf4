import DataLoader from "dataloader";
import { territoryPath } from "../territories.js";
import type { RequestBatch } from "./batch.js";

/** The territory and those containing it; an unknown or malformed id contains nothing. */
export function pathOrEmpty(territoryId: string): string[] {
  try {
    return territoryPath(territoryId);
  } catch {
    return [];
  }
}

/**
 * Rows attached to a territory that covers the asked one (the territory itself or one containing
 * it: the MEL's collectivité or EBS instance shows on Lomme's page), one statement per batch.
 */
export function coveringLoader<Row>(
  batch: Pick<RequestBatch, "schedule">,
  load: (territoryIds: string[]) => Promise<Row[]>,
  territoryOf: (row: Row) => string,
) {
  return new DataLoader<string, Row[]>(
    async (territoryIds) => {
      const paths = territoryIds.map(pathOrEmpty);
      const rows = await load([...new Set(paths.flat())]);
      return paths.map((path) => rows.filter((row) => path.includes(territoryOf(row))));
    },
    { batchScheduleFn: batch.schedule },
  );
}
