import { describe, expect, it } from "vitest";
import type { Page } from "./connection.js";
import { createPageLoader, type PagedList, rankedLists } from "./paged-loader.js";

/** DataLoader's own default schedule: the loader is tested alone, not within a request batch. */
const alone = { schedule: (dispatch: () => void) => process.nextTick(dispatch) };

const names = (connection: { edges: { node: string }[] }) => connection.edges.map((e) => e.node);

describe("createPageLoader", () => {
  it("asks once per page and filters, for all their owners, and answers each owner's connection", async () => {
    const calls: [string[], Page, { kind: string }][] = [];
    const lists: Record<string, string[]> = { lille: ["a", "b", "c"], lomme: ["d"], roubaix: [] };
    const loader = createPageLoader<string, { kind: string }>(
      alone,
      async (owners, page, filters) => {
        calls.push([owners, page, filters]);
        return owners.map(
          (owner): PagedList<string> => ({
            owner,
            total: lists[owner]!.length,
            rows: lists[owner]!.slice(page.offset, page.offset + page.limit),
          }),
        );
      },
    );
    const first = { offset: 0, limit: 2 };
    const [lille, lomme, roubaix, lilleNext] = await Promise.all([
      loader.load({ owner: "lille", page: first, filters: { kind: "COMMUNE" } }),
      loader.load({ owner: "lomme", page: first, filters: { kind: "COMMUNE" } }),
      loader.load({ owner: "roubaix", page: first, filters: { kind: "COMMUNE" } }),
      loader.load({ owner: "lille", page: { offset: 2, limit: 2 }, filters: { kind: "COMMUNE" } }),
    ]);
    expect(calls).toEqual([
      [["lille", "lomme", "roubaix"], first, { kind: "COMMUNE" }],
      [["lille"], { offset: 2, limit: 2 }, { kind: "COMMUNE" }],
    ]);
    expect([names(lille), lille.totalCount, lille.pageInfo.hasNextPage]).toEqual([
      ["a", "b"],
      3,
      true,
    ]);
    expect([names(lomme), lomme.totalCount, lomme.pageInfo.hasNextPage]).toEqual([["d"], 1, false]);
    expect([names(roubaix), roubaix.totalCount]).toEqual([[], 0]);
    expect([names(lilleNext), lilleNext.pageInfo.hasPreviousPage]).toEqual([["c"], true]);
  });

  it("answers an owner the fetch leaves out with an empty list", async () => {
    const loader = createPageLoader<string>(alone, async () => []);
    const none = await loader.load({
      owner: "nulle-part",
      page: { offset: 0, limit: 5 },
      filters: {},
    });
    expect([none.edges, none.totalCount, none.pageInfo.hasNextPage]).toEqual([[], 0, false]);
  });
});

describe("rankedLists", () => {
  it("keeps each owner's rows of the page by rank, and the total the off-page first row carries", () => {
    const page = { offset: 2, limit: 2 };
    expect(
      rankedLists(page, [
        { owner: "lille", rank: 4, total: 5, row: "d" },
        { owner: "lille", rank: 1, total: 5, row: "a" },
        { owner: "lille", rank: 3, total: 5, row: "c" },
        { owner: "lomme", rank: 1, total: 1, row: "x" },
      ]),
    ).toEqual([
      { owner: "lille", total: 5, rows: ["c", "d"] },
      { owner: "lomme", total: 1, rows: [] },
    ]);
  });
});
