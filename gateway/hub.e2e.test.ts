import { count } from "drizzle-orm";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../lib/database.js";
import { datasetImports, platforms, territories } from "../subgraphs/directory/tables.js";
import { withDatabase } from "../test/global-setup.js";
import { openTestDatabase } from "../test/harness.js";
import { hubSchemas, prepareDatabase } from "./hub.js";

describe("prepareDatabase", () => {
  it("changes nothing and duplicates nothing when run again", async () => {
    const database = await openTestDatabase();
    try {
      const snapshot = async () => ({
        territories: (await database.db.select({ n: count() }).from(territories))[0]!.n,
        platforms: (await database.db.select({ n: count() }).from(platforms))[0]!.n,
        // A dataset loaded again would get a new import time.
        imports: await database.db.select().from(datasetImports).orderBy(datasetImports.dataset),
      });
      const before = await snapshot();
      await prepareDatabase(database, hubSchemas);
      expect(await snapshot()).toEqual(before);
      expect(before.territories).toBeGreaterThan(38_000);
    } finally {
      await database.close();
    }
  });

  it.skipIf(!process.env.DATABASE_URL)(
    "lets two processes start at once on a new PostgreSQL database",
    async () => {
      const admin = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
      const name = `hub_concurrent_start_${process.pid}`;
      await admin.unsafe(`drop database if exists ${name}`);
      await admin.unsafe(`create database ${name}`);
      const url = withDatabase(process.env.DATABASE_URL!, name);
      const [first, second] = await Promise.all([openDatabase({ url }), openDatabase({ url })]);
      try {
        await Promise.all([
          prepareDatabase(first, hubSchemas),
          prepareDatabase(second, hubSchemas),
        ]);
        const [row] = await first.db.select({ n: count() }).from(platforms);
        const [again] = await second.db.select({ n: count() }).from(territories);
        expect(row!.n).toBeGreaterThan(10);
        expect(again!.n).toBeGreaterThan(38_000);
      } finally {
        await first.close();
        await second.close();
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.end();
      }
    },
    // Two whole territory imports and seeds, one after the other: a hook's budget, not a test's.
    180_000,
  );
});
