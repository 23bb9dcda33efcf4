import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, redactUrl } from "./database.js";

describe("openDatabase on PGlite", () => {
  const dirs: string[] = [];
  const newDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "hub-db-test-"));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("refuses a data directory another live process holds, and frees it on close", async () => {
    const dir = newDir();
    // The parent of this test process stands for another hub holding the directory.
    writeFileSync(join(dir, "hub.pid"), String(process.ppid));
    await expect(openDatabase({ dataDir: dir })).rejects.toThrow(/in use by process/);

    writeFileSync(join(dir, "hub.pid"), "999999999"); // a process that no longer exists
    const database = await openDatabase({ dataDir: dir });
    await database.ping();
    await database.close();
    expect(existsSync(join(dir, "hub.pid"))).toBe(false);
  });
});

describe("redactUrl", () => {
  it("keeps the password out of logs", () => {
    expect(redactUrl("postgres://hub:s3cret@db.example:5432/hub")).toBe(
      "postgres://hub:***@db.example:5432/hub",
    );
    expect(redactUrl("not a url")).toBe("(invalid URL)");
  });
});
