import { asc, eq, inArray, is, sql } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as bookings from "../../subgraphs/bookings/tables.js";
import * as directory from "../../subgraphs/directory/tables.js";
import * as engagements from "../../subgraphs/engagements/tables.js";
import * as exchanges from "../../subgraphs/exchanges/tables.js";
import { openTestDatabase } from "../../test/harness.js";
import type { DatabaseHandle } from "../database.js";
import { createRequestBatch } from "./batch.js";
import { jsonRows } from "./json-rows.js";
import { byKey, groupedBy } from "./loaders.js";

describe("createRequestBatch", () => {
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
    const firstRows = (table: PgTable) => db.select().from(table).orderBy(sql`ctid`).limit(20);
    const direct = await Promise.all(tables.map((table) => firstRows(table)));
    expect(direct.filter((rows) => rows.length > 0).length).toBeGreaterThan(20);

    const { select } = createRequestBatch(db);
    const [batched, statements] = await statementsOf(() =>
      Promise.all(tables.map((table) => select(firstRows(table)))),
    );
    expect(statements).toBe(1);
    expect(batched).toEqual(direct);
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

    const { select } = createRequestBatch(db);
    const [[nested], statements] = await statementsOf(() => Promise.all([select(withThemes)]));
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

    const { select } = createRequestBatch(db);
    const [batched, statements] = await statementsOf(() =>
      Promise.all([select(withOperator), select(db.select().from(directory.themes))]),
    );
    expect(statements).toBe(1);
    expect(batched[0]).toEqual(direct);
  });

  it("dispatches the loaders of a turn together, their selects and the resolvers' as one statement", async () => {
    const { db } = database;
    const { platforms, platformThemes, themes } = directory;
    const batch = createRequestBatch(db);
    const platform = byKey(
      batch,
      (slugs) => batch.select(db.select().from(platforms).where(inArray(platforms.slug, slugs))),
      (row) => row.slug,
    );
    const themesOf = groupedBy(batch, (slugs) =>
      batch.select(
        db
          .select({ slug: platformThemes.themeSlug, owner: platformThemes.platformSlug })
          .from(platformThemes)
          .where(inArray(platformThemes.platformSlug, slugs)),
      ),
    );
    const [slugA, slugB] = (
      await db
        .select({ slug: platforms.slug })
        .from(platforms)
        .orderBy(asc(platforms.slug))
        .limit(2)
    ).map((row) => row.slug);

    // Loads from several promise jobs, as resolvers of one level ask, and a resolver's own select.
    const [[a, b, themesOfA, count], statements] = await statementsOf(() =>
      Promise.all([
        platform.load(slugA!),
        Promise.resolve().then(() => platform.load(slugB!)),
        Promise.resolve()
          .then(() => undefined)
          .then(() => themesOf.load(slugA!)),
        batch.select(db.select({ n: sql<number>`count(*)::int` }).from(themes)),
      ]),
    );
    expect(statements).toBe(1);
    expect([a?.slug, b?.slug]).toEqual([slugA, slugB]);
    expect(themesOfA!.map((t) => t.slug).sort()).toEqual(
      (
        await db
          .select()
          .from(platformThemes)
          .where(inArray(platformThemes.platformSlug, [slugA!]))
      )
        .map((t) => t.themeSlug)
        .sort(),
    );
    expect(count).toEqual([{ n: (await db.select().from(themes)).length }]);

    // A load that waits for rows goes out in the next turn: its own statement, not a race.
    const [, later] = await statementsOf(async () => {
      const found = await platform.load(slugA!);
      return themesOf.load(found!.slug === slugA ? slugB! : slugA!);
    });
    expect(later).toBe(1);
  });

  it("keeps a failing select's error to itself", async () => {
    const { db } = database;
    const { select } = createRequestBatch(db);
    const failing = db.select({ n: sql<number>`'pas un nombre'::int` }).from(directory.themes);
    const fine = db.select({ slug: directory.themes.slug }).from(directory.themes).limit(1);
    const [broken, kept] = await Promise.allSettled([select(failing), select(fine)]);
    expect(broken.status).toBe("rejected");
    expect(kept).toEqual({ status: "fulfilled", value: await fine });
  });
});
