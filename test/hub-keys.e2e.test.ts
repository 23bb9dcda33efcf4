import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabaseEnv } from "./harness.js";
import { type HubProcess, startHubProcess } from "./hub-process.js";
import { runHubCommand } from "./processes.js";

/** `hub key` while the hub runs: on the embedded database, which serves one process, through the hub. */
let env: Record<string, string>;
let hub: HubProcess;
let hubUrl: string;
let adminKey: string;
const embedded = !process.env.DATABASE_URL;

beforeAll(async () => {
  env = { DATABASE_URL: "", ...(await testDatabaseEnv()) };
  // The first admin key, before the hub starts: straight in the database.
  const first = await runHubCommand(["key", "create", "--name", "admin", "--role", "admin"], env);
  expect(first.code, first.stderr).toBe(0);
  adminKey = /^(hub_\S+)$/m.exec(first.stdout)![1]!;
  hub = startHubProcess(["gateway"], env);
  const [ready] = await hub.waitFor(/gateway ready at (\S+)\/graphql/);
  hubUrl = ready![1]!;
});
afterAll(async () => {
  await hub?.stop();
});

describe("hub key while the hub runs", () => {
  it("says how when it cannot open the database, and goes through the hub with an admin key", async () => {
    const args = ["key", "create", "--name", "portail", "--role", "analyst"];
    const alone = await runHubCommand(args, { ...env, HUB_TOKEN: "" });
    if (embedded) {
      expect(alone.code).toBe(1);
      expect(alone.stderr).toContain("holds the embedded database");
      expect(alone.stderr).toContain("set HUB_TOKEN to an admin key");
      expect(alone.stderr).toContain("stop the hub, run this command, and start the hub again");
    } else {
      // PostgreSQL serves every process: straight in the database, as ever.
      expect(alone.code, alone.stderr).toBe(0);
    }

    const through = { ...env, HUB_URL: hubUrl, HUB_TOKEN: adminKey };
    const created = await runHubCommand(
      [
        "key",
        "create",
        "--name",
        "covoiturage",
        "--role",
        "partner",
        "--for",
        "partner:covoit-coop",
      ],
      through,
    );
    expect(created.code, created.stderr).toBe(0);
    if (embedded) expect(created.stdout).toContain("going through its admin API");
    const [, id] = /^key (\w+) created; it is shown only now/m.exec(created.stdout) ?? [];
    expect(id).toBeDefined();
    expect(created.stdout).toMatch(new RegExp(`^hub_${id}_\\S+$`, "m"));

    const listed = await runHubCommand(["key", "list"], through);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(
      new RegExp(`^${id}  partner for partner:covoit-coop  "covoiturage"  active$`, "m"),
    );
    const revoked = await runHubCommand(["key", "revoke", id!], through);
    expect(revoked.stdout).toContain(`key ${id} revoked`);

    // A partner's token may not manage keys; `partner create` goes through the hub as ever.
    const partner = await runHubCommand(
      ["partner", "create", "--id", "livraison-coop", "--name", "Livraison à vélo"],
      through,
    );
    expect(partner.code, partner.stderr).toBe(0);
    const token = /^(hub_\S+)$/m.exec(partner.stdout)![1]!;
    const refused = await runHubCommand(["key", "list"], { ...through, HUB_TOKEN: token });
    if (embedded) {
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/^FORBIDDEN: /m);
    }
  });
});
