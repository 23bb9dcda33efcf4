import { asc, eq, is, sql } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as bookings from "../../subgraphs/bookings/tables.js";
import * as directory from "../../subgraphs/directory/tables.js";
import * as engagements from "../../subgraphs/engagements/tables.js";
import * as exchanges from "../../subgraphs/exchanges/tables.js";
import { openTestDatabase } from "../../test/harness.js";
import type { DatabaseHandle } from "../database.js";
import { createCoalescer } from "./coalesce.js";
import { jsonRows } from "./json-rows.js";

describe("createCoalescer", () => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(() => database.close());

  /** Statements sent while `work` runs. */
  async function statementsOf<T>(work: () => Promise<T>): Promise<[T, number]> {
    const before = database.statements.count;
    const result = await work();
    return [result, database.statements.count - before];
  }

  it("reads every subgraph table in one statement, with the types the driver gives", async () => {
    const { db } = database;
    const tables = [bookings, directory, engagements, exchanges].flatMap((module) =>
      Object.values(module).filter((value) => is(value, PgTable)),
    );
    // ctid: the same rows in the same order both ways.
    const select = (table: PgTable) => db.select().from(table).orderBy(sql`ctid`).limit(20);
    const direct = await Promise.all(tables.map((table) => select(table)));
    expect(direct.filter((rows) => rows.length > 0).length).toBeGreaterThan(20);

    const run = createCoalescer(db);
    const [coalesced, statements] = await statementsOf(() =>
      Promise.all(tables.map((table) => run(select(table)))),
    );
    expect(statements).toBe(1);
    expect(coalesced).toEqual(direct);
  });

  it("nests a list's related rows in its statement (jsonRows), and a lone select runs as it is", async () => {
    const { db } = database;
    const { platforms, platformThemes, themes } = directory;
    const themesOf = (slug: typeof platforms.slug | string) =>
      db
        .select({ slug: themes.slug, label: themes.label })
        .from(platformThemes)
        .innerJoin(themes, eq(themes.slug, platformThemes.themeSlug))
        .where(eq(platformThemes.platformSlug, slug))
        .orderBy(asc(themes.label));
    const withThemes = db
      .select({ platform: platforms, themes: jsonRows(themesOf(platforms.slug)) })
      .from(platforms)
      .orderBy(asc(platforms.slug))
      .limit(5);

    const run = createCoalescer(db);
    const [[nested], statements] = await statementsOf(() => Promise.all([run(withThemes)]));
    expect(statements).toBe(1);
    expect(nested.filter((row) => row.themes.length > 0)).toHaveLength(5);
    for (const row of nested) {
      expect(row.themes).toEqual(await themesOf(row.platform.slug));
      expect(row.platform).toEqual(
        (await db.select().from(platforms).where(eq(platforms.slug, row.platform.slug)))[0],
      );
    }
  });

  it("reads an outer join as drizzle does: the absent table as null", async () => {
    const { db } = database;
    const { organizations, platforms } = directory;
    const withOperator = db
      .select({ slug: platforms.slug, operator: organizations })
      .from(platforms)
      .leftJoin(organizations, eq(organizations.id, platforms.operatorId))
      .orderBy(asc(platforms.slug));
    const direct = await withOperator;
    expect(direct.some((row) => row.operator === null)).toBe(true);
    expect(direct.some((row) => row.operator !== null)).toBe(true);

    const run = createCoalescer(db);
    const [coalesced, statements] = await statementsOf(() =>
      Promise.all([run(withOperator), run(db.select().from(directory.themes))]),
    );
    expect(statements).toBe(1);
    expect(coalesced[0]).toEqual(direct);
  });

  it("keeps a failing select's error to itself", async () => {
    const { db } = database;
    const run = createCoalescer(db);
    const failing = db.select({ n: sql<number>`'pas un nombre'::int` }).from(directory.themes);
    const fine = db.select({ slug: directory.themes.slug }).from(directory.themes).limit(1);
    const [broken, kept] = await Promise.allSettled([run(failing), run(fine)]);
    expect(broken.status).toBe("rejected");
    expect(kept).toEqual({ status: "fulfilled", value: await fine });
  });
});
