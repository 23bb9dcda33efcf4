import { asc, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { territories } from "../../subgraphs/directory/tables.js";
import { openTestDatabase } from "../../test/harness.js";
import type { DatabaseHandle } from "../database.js";
import { createRequestBatch } from "./batch.js";
import { pageOf, parsePage } from "./connection.js";

describe("pageOf", () => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(() => database.close());

  const departements = eq(territories.kind, "DEPARTEMENT");

  it("reads a page and the list's size in one statement, pages following each other", async () => {
    const { db, statements } = database;
    const { select } = createRequestBatch(db);
    const ordered = () =>
      db
        .select({ id: territories.id })
        .from(territories)
        .where(departements)
        .orderBy(asc(territories.id));
    const all = await ordered();
    expect(all.length).toBeGreaterThan(4);

    const before = statements.count;
    const first = await pageOf(
      select,
      parsePage({ first: 3 }),
      ordered(),
      db.select({ total: count() }).from(territories).where(departements),
    );
    expect(statements.count - before).toBe(1);
    expect(first.nodes).toEqual(all.slice(0, 3));
    expect(first.totalCount).toBe(all.length);
    expect(first.pageInfo.hasNextPage).toBe(true);

    const second = await pageOf(
      select,
      parsePage({ first: 3, after: first.pageInfo.endCursor }),
      ordered(),
      db.select({ total: count() }).from(territories).where(departements),
    );
    expect(second.nodes).toEqual(all.slice(3, 6));
    expect(second.pageInfo.hasPreviousPage).toBe(true);
  });

  it("gives an empty page its list's size", async () => {
    const { db } = database;
    const connection = await pageOf(
      createRequestBatch(db).select,
      { offset: 10_000, limit: 5 },
      db.select().from(territories).where(departements).orderBy(asc(territories.id)),
      db.select({ total: count() }).from(territories).where(departements),
    );
    expect(connection.nodes).toEqual([]);
    expect(connection.totalCount).toBeGreaterThan(0);
    expect(connection.pageInfo).toMatchObject({ hasNextPage: false, startCursor: null });
  });
});
