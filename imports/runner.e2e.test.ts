import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../lib/database.js";
import { openTestDatabase } from "../test/harness.js";
import { describeJobFailure } from "./jobs.js";
import { type Batch, ImportFailed, type ImportPlan, runImport, TooManyRejected } from "./runner.js";
import { beginRun, finishRun } from "./runs.js";
import { importRuns } from "./tables.js";

let database: DatabaseHandle;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database?.close());

/** An import of two batches whose second write is `second`. */
const plan = (target: string, second: Batch["write"]): ImportPlan => ({
  connector: "test",
  target,
  phases: [
    {
      name: "rows",
      read: async (position) =>
        position === null
          ? { write: async () => {}, next: "2", seen: {}, size: 1 }
          : { write: second, next: null, seen: {}, size: 1 },
    },
  ],
  withdraw: async () => async () => {},
  progress: () => {},
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail("the import succeeded"),
    (error: unknown) => error,
  );

describe("a failed import", () => {
  it("stores the database's own message as the run's error: no SQL, no parameters", async () => {
    const error = await failure(
      runImport(
        database.db,
        plan(
          "short-error",
          async (tx) =>
            void (await tx.execute(
              sql`select * from imports.no_such_table where id = ${"a-parameter"}`,
            )),
        ),
      ),
    );
    expect(error).toBeInstanceOf(ImportFailed);
    const [run] = await database.db
      .select()
      .from(importRuns)
      .where(eq(importRuns.target, "short-error"));
    expect(run).toMatchObject({
      status: "failed",
      error: 'relation "imports.no_such_table" does not exist',
    });
    expect((error as ImportFailed).message).toBe(run!.error);
  });

  it("says the next run resumes only when batches were written, and nothing of the kind when another process runs it", async () => {
    const nothing = await failure(
      runImport(database.db, {
        ...plan("nothing-written", async () => {}),
        phases: [{ name: "rows", read: () => Promise.reject(new Error("source down")) }],
      }),
    );
    expect(nothing).toMatchObject({ resumable: false });
    expect(describeJobFailure(nothing)).toBe(
      "source down\nNothing was written: the next run of this import starts from the beginning.",
    );

    const some = await failure(
      runImport(
        database.db,
        plan("some-written", () => Promise.reject(new Error("second batch refused"))),
      ),
    );
    expect(some).toMatchObject({ resumable: true });
    expect(describeJobFailure(some)).toBe(
      "second batch refused\nThe batches written so far are kept: the next run of this import resumes after them.",
    );
    // Taken up again and failing at once, it still has the batch its first attempt wrote.
    const again = await failure(
      runImport(
        database.db,
        plan("some-written", () => Promise.reject(new Error("still refused"))),
      ),
    );
    expect(again).toMatchObject({ resumable: true });

    const running = await beginRun(database.db, "test", "busy");
    const busy = await failure(
      runImport(
        database.db,
        plan("busy", async () => {}),
      ),
    );
    expect(describeJobFailure(busy)).toMatch(
      /^Run #\d+ of test busy is still going \(last progress [^)]+\): try again once it has finished\.$/,
    );
    await finishRun(database.db, running, "succeeded");
  });
});
describe("a run that rejects too much", () => {
  /** One batch of `ok` records written and `bad` rejected. */
  const rejecting = (target: string, ok: number, bad: number, maxRejectedShare?: number) =>
    runImport(database.db, {
      ...plan(target, async () => {}),
      maxRejectedShare,
      phases: [
        {
          name: "rows",
          read: async () => ({
            write: async (_tx, report) => {
              report.count("rows", "created", ok);
              for (let i = 0; i < bad; i++) report.reject("rows", String(i), "name is missing");
            },
            next: null,
            seen: {},
            size: ok + bad,
          }),
        },
      ],
    });

  it("ends failed, complete, past the share allowed (half by default) or when it rejects everything", async () => {
    expect((await rejecting("half", 2, 2)).report.data.rejectedTotal).toBe(2);
    const over = await failure(rejecting("over-half", 1, 2));
    expect(over).toBeInstanceOf(TooManyRejected);
    expect((over as TooManyRejected).message).toBe(
      "2 of the 3 records read were rejected (67 %), more than the 50 % allowed",
    );
    expect(describeJobFailure(over)).toMatch(
      /rejected: 2\n {4}rows 0: name is missing\n[\s\S]*The run failed: 2 of the 3 .* the next run reads the source again from the beginning\.$/,
    );
    const [run] = await database.db
      .select()
      .from(importRuns)
      .where(eq(importRuns.target, "over-half"));
    // Complete: nothing to resume.
    expect(run).toMatchObject({
      status: "failed",
      cursor: null,
      error: (over as TooManyRejected).message,
    });

    await expect(rejecting("all", 0, 1, 1)).rejects.toThrow("every record read (1) was rejected");
    await expect(rejecting("strict", 9, 1, 0)).rejects.toThrow(TooManyRejected);
  });
});
