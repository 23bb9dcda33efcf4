import { describe, expect, it } from "vitest";
import type { Database } from "../lib/database.js";
import { scheduledJobs, startImportSchedule } from "./jobs.js";

describe("scheduled imports", () => {
  it("reads what to import from the environment's values", () => {
    expect(
      scheduledJobs(
        "https://api.example.org",
        "lomme=postgres://reader@db/ebs_lomme  apes=postgres://reader@db/ebs?sslmode=require",
      ),
    ).toEqual([
      { connector: "rustine-libre", url: "https://api.example.org" },
      { connector: "ebs", instance: "lomme", databaseUrl: "postgres://reader@db/ebs_lomme" },
      {
        connector: "ebs",
        instance: "apes",
        databaseUrl: "postgres://reader@db/ebs?sslmode=require",
      },
    ]);
    expect(scheduledJobs(undefined, undefined)).toEqual([]);
    // The message never echoes the entry: it may hold a password.
    expect(() =>
      scheduledJobs(undefined, "lomme=postgres://r@db/a postgres://reader:secret@db/ebs"),
    ).toThrow(/^IMPORT_EBS_DATABASES: entry 2 is not slug=postgres:\/\/\.\.\.$/);
  });

  it("refuses a schedule it cannot read, or one with nothing to run", () => {
    const db = {} as Database;
    const options = { pseudonymSecret: undefined, log: () => {} };
    expect(() =>
      startImportSchedule(
        db,
        "every day",
        [{ connector: "rustine-libre", url: "http://x" }],
        options,
      ),
    ).toThrow();
    expect(() => startImportSchedule(db, "0 3 * * *", [], options)).toThrow("nothing to import");
    const lines: string[] = [];
    const stop = startImportSchedule(
      db,
      "0 3 * * *",
      [{ connector: "rustine-libre", url: "http://x" }],
      { ...options, log: (l) => lines.push(l) },
    );
    stop();
    expect(lines[0]).toMatch(
      /^imports scheduled \(0 3 \* \* \*, Europe\/Paris\): next at \d{4}-\d\d-\d\dT0[12]:00:00\.000Z$/,
    );
  });
});
