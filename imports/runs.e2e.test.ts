import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../lib/database.js";
import { openTestDatabase } from "../test/harness.js";
import { beginRun, finishRun, RunInProgress, STALE_AFTER_MS } from "./runs.js";
import { importRuns } from "./tables.js";

let database: DatabaseHandle;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database?.close());

const age = (id: number, ms: number) =>
  database.db
    .update(importRuns)
    .set({ progressAt: new Date(Date.now() - ms) })
    .where(eq(importRuns.id, id));

describe("import runs", () => {
  it("refuses a second import of one source while the first is going, and takes up one whose process died", async () => {
    const first = await beginRun(database.db, "rustine-libre", "http://a");
    await expect(beginRun(database.db, "rustine-libre", "http://a")).rejects.toThrow(RunInProgress);
    // Another source is free.
    const other = await beginRun(database.db, "rustine-libre", "http://b");
    await finishRun(database.db, other, "succeeded");

    // Still "running" long after its last batch: its process died; without a cursor there is nothing to resume.
    await age(first.id, STALE_AFTER_MS + 1000);
    const next = await beginRun(database.db, "rustine-libre", "http://a");
    expect(next).toMatchObject({ resumed: false, cursor: null });
    expect(next.id).not.toBe(first.id);
    const [dead] = await database.db.select().from(importRuns).where(eq(importRuns.id, first.id));
    expect(dead).toMatchObject({ status: "failed", error: "interrupted" });

    // With a cursor, the stale run is taken up where it stopped, by one process only.
    await database.db
      .update(importRuns)
      .set({ cursor: { phase: "repairers", position: "p2", seen: {} } })
      .where(eq(importRuns.id, next.id));
    await age(next.id, STALE_AFTER_MS + 1000);
    const [a, b] = await Promise.allSettled([
      beginRun(database.db, "rustine-libre", "http://a"),
      beginRun(database.db, "rustine-libre", "http://a"),
    ]);
    const taken = [a, b].filter((r) => r.status === "fulfilled");
    expect(taken).toHaveLength(1);
    expect(
      (taken[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof beginRun>>>).value,
    ).toMatchObject({ id: next.id, resumed: true, cursor: { position: "p2" } });
  });
});
