import { describe, expect, it } from "vitest";
import { encodeCursor, parsePage, toConnection } from "./connection.js";

describe("parsePage and toConnection", () => {
  it("reads after the cursor's offset, and says whether pages come before and after", () => {
    const page = parsePage({ first: 2, after: encodeCursor(3) });
    expect(page).toEqual({ offset: 4, limit: 2 });
    const connection = toConnection(["e", "f"], page, 7);
    expect(connection.edges.map((edge) => edge.cursor)).toEqual([encodeCursor(4), encodeCursor(5)]);
    expect(connection.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    expect(toConnection(["g"], { offset: 6, limit: 2 }, 7).pageInfo.hasNextPage).toBe(false);
  });

  it("refuses a page size over the field's maximum and a cursor it did not write", () => {
    expect(() => parsePage({ first: 101 })).toThrow(/first/);
    expect(parsePage({ first: 500 }, 500).limit).toBe(500);
    expect(() => parsePage({ after: "nimportequoi" })).toThrow(/Curseur invalide/);
  });
});
