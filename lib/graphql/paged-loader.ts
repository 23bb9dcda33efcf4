import DataLoader from "dataloader";
import type { RequestBatch } from "./batch.js";
import { type ConnectionShape, type Page, toConnection } from "./connection.js";

/** One owner's list on the page asked for: the page's rows in order, and the size of the whole list. */
export interface PagedList<Row> {
  owner: string;
  total: number;
  rows: Row[];
}

export interface PageRequest<Filters> {
  owner: string;
  page: Page;
  filters: Filters;
}

/**
 * A DataLoader for a paginated list per owner (the members of each territory, the products of
 * each place...). Requests that share a page and filters go out as one `fetch`, which returns
 * each owner's `PagedList`; an owner it leaves out has an empty list.
 */
export function createPageLoader<Row, Filters = Record<string, never>>(
  batch: Pick<RequestBatch, "schedule">,
  fetch: (owners: string[], page: Page, filters: Filters) => Promise<PagedList<Row>[]>,
): DataLoader<PageRequest<Filters>, ConnectionShape<Row>, string> {
  const groupKey = ({ page, filters }: Omit<PageRequest<Filters>, "owner">) =>
    JSON.stringify([page, filters]);
  return new DataLoader(
    async (requests) => {
      const groups = new Map<string, { page: Page; filters: Filters; owners: string[] }>();
      for (const request of requests) {
        const group = groups.get(groupKey(request)) ?? { ...request, owners: [] };
        group.owners.push(request.owner);
        groups.set(groupKey(request), group);
      }
      const lists = new Map<string, PagedList<Row>>();
      await Promise.all(
        [...groups].map(async ([key, { page, filters, owners }]) => {
          for (const list of await fetch(owners, page, filters))
            lists.set(`${key}|${list.owner}`, list);
        }),
      );
      return requests.map((request) => {
        const list = lists.get(`${groupKey(request)}|${request.owner}`);
        return toConnection(list?.rows ?? [], request.page, list?.total ?? 0);
      });
    },
    {
      cacheKeyFn: ({ owner, page, filters }) => JSON.stringify([owner, page, filters]),
      batchScheduleFn: batch.schedule,
    },
  );
}

/** One row of a ranked page query (`rankOver`, `totalOver`, `rankedPage` in sql.ts). */
export interface RankedRow<Row> {
  owner: string;
  rank: number;
  total: number;
  row: Row;
}

/**
 * The lists of a ranked page query: each owner's rows of the page by rank, and its total, which
 * the `rank = 1` row that `rankedPage` keeps carries for a list with none on the page.
 */
export function rankedLists<Row>(page: Page, ranked: RankedRow<Row>[]): PagedList<Row>[] {
  const lists = new Map<string, PagedList<Row>>();
  for (const { owner, rank, total, row } of [...ranked].sort((a, b) => a.rank - b.rank)) {
    const list = lists.get(owner) ?? { owner, total, rows: [] };
    lists.set(owner, list);
    if (rank > page.offset) list.rows.push(row);
  }
  return [...lists.values()];
}
