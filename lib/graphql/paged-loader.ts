import DataLoader from "dataloader";
import type { RequestBatch } from "./batch.js";
import { type ConnectionShape, type Page, toConnection } from "./connection.js";

/** One row of a ranked page query: which owner it belongs to, its rank in that list, the list's size. */
export interface RankedRow<Row> {
  owner: string;
  rank: number;
  total: number;
  row: Row;
}

/** A list none of whose rows is on the page, known by its size alone. */
export interface ListTotal {
  owner: string;
  total: number;
  row?: undefined;
}

export interface PageRequest<Filters> {
  owner: string;
  page: Page;
  filters: Filters;
}

/**
 * A DataLoader for a paginated list per owner (the members of each territory, the products of
 * each place...). Requests that share a page and filters go out as one query, which returns
 * the page's rows of every owner, each with its list's total, and for a list with none on the page
 * its total alone: a `ListTotal`, or its `rank = 1` row (see `rankedPage`).
 */
export function createPageLoader<Row, Filters = Record<string, never>>(
  batch: RequestBatch,
  fetch: (
    owners: string[],
    page: Page,
    filters: Filters,
  ) => Promise<(RankedRow<Row> | ListTotal)[]>,
): DataLoader<PageRequest<Filters>, ConnectionShape<Row>, string> {
  return new DataLoader(
    async (requests) => {
      const groups = new Map<string, { page: Page; filters: Filters; owners: string[] }>();
      for (const { owner, page, filters } of requests) {
        const groupKey = JSON.stringify([page, filters]);
        const group = groups.get(groupKey) ?? { page, filters, owners: [] };
        group.owners.push(owner);
        groups.set(groupKey, group);
      }
      const results = new Map<string, ConnectionShape<Row>>();
      await Promise.all(
        [...groups.entries()].map(async ([groupKey, { page, filters, owners }]) => {
          const rows = await fetch(owners, page, filters);
          for (const owner of owners) {
            const ownRows = rows.filter((r) => r.owner === owner);
            const inPage = ownRows
              .filter((r): r is RankedRow<Row> => r.row !== undefined)
              .filter((r) => r.rank > page.offset)
              .sort((a, b) => a.rank - b.rank);
            results.set(
              `${groupKey}|${owner}`,
              toConnection(
                inPage.map((r) => r.row),
                page,
                ownRows[0]?.total ?? 0,
              ),
            );
          }
        }),
      );
      return requests.map(
        ({ owner, page, filters }) => results.get(`${JSON.stringify([page, filters])}|${owner}`)!,
      );
    },
    {
      cacheKeyFn: ({ owner, page, filters }) => JSON.stringify([owner, page, filters]),
      batchScheduleFn: batch.schedule,
    },
  );
}
