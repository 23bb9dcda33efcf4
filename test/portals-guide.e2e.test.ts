import { existsSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHub, type TestHub } from "./harness.js";
import { runHubCommand } from "./processes.js";

/**
 * docs/portals.md's walkthrough, run as written: each command of its `sh` blocks, against a hub
 * started as the guide starts it (`TRUSTED_DOCUMENTS=anonymous`). A step this test does not know
 * fails it, so that the guide cannot grow an untested step.
 */
const GUIDE = readFileSync("docs/portals.md", "utf8");
const WALKTHROUGH = GUIDE.slice(GUIDE.indexOf("### Walkthrough"), GUIDE.indexOf("## Naming"));
const GUIDE_URL = "http://localhost:4000";

/** Each command line of the walkthrough, continuations joined, with the `# → …` line that follows it. */
function steps(): { command: string; expected: string | undefined }[] {
  const found: { command: string; expected: string | undefined }[] = [];
  for (const [, block] of WALKTHROUGH.matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const line of block!.replace(/\\\n\s*/g, "").split("\n")) {
      const expected = /^# → (.*)$/.exec(line)?.[1];
      if (expected !== undefined && found.length > 0) found[found.length - 1]!.expected = expected;
      const command = line.replace(/\s+#\s.*$/, "").trim();
      if (command && !command.startsWith("#")) found.push({ command, expected: undefined });
    }
  }
  return found;
}

/** Splits a command line as a POSIX shell does, for the quoting the guide uses. */
function words(line: string): string[] {
  const out: string[] = [];
  for (const [, single, double, bare] of line.matchAll(/'([^']*)'|"((?:[^"\\]|\\.)*)"|(\S+)/g))
    out.push(single ?? double?.replace(/\\(.)/g, "$1") ?? bare!);
  return out;
}

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub({
    gateway: {
      trustedDocuments: {
        mode: "anonymous",
        file: "operations/generated/persisted-documents.json",
      },
    },
  });
});
afterAll(() => hub?.close());

/** Sends a `curl` line of the guide to the test hub, as curl would. */
async function curl(args: string[]) {
  let url = "";
  let get = false;
  let body: string | undefined;
  const headers: Record<string, string> = {};
  const query = new URLSearchParams();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "-s" || arg === "-i") continue;
    if (arg === "-G") get = true;
    else if (arg === "-H") {
      const [name, ...value] = args[++i]!.split(":");
      headers[name!.trim()] = value.join(":").trim();
    } else if (arg === "-d") body = args[++i];
    else if (arg === "--data-urlencode") {
      const [name, ...value] = args[++i]!.split("=");
      query.append(name!, value.join("="));
    } else if (arg.startsWith(GUIDE_URL)) url = arg.replace(GUIDE_URL, hub.gatewayUrl);
    else throw new Error(`curl option the guide test does not know: ${arg}`);
  }
  const response = get
    ? await fetch(`${url}?${query}`, { headers })
    : await fetch(url, { method: "POST", headers, body: body! });
  return { response, text: await response.text() };
}

describe("docs/portals.md", () => {
  it("its walkthrough works as written", async () => {
    const adminKey = (await hub.as("admin")).authorization!.slice("Bearer ".length);
    let token: string | undefined;
    let printedToken: string | undefined;
    const ran: string[] = [];
    for (const { command, expected } of steps()) {
      const [program, ...args] = words(command);
      if (
        command === "npm ci" ||
        command.startsWith("npm run hub -- key create ") ||
        command === "TRUSTED_DOCUMENTS=anonymous npm start"
      ) {
        // The test hub stands for them: an admin key, and a hub with trusted documents only.
        continue;
      }
      if (command === "npx graphql-codegen --config examples/portal/codegen.ts") {
        // test/schema-files.test.ts checks that its output is the committed one, used below.
        expect(existsSync("examples/portal/codegen.ts")).toBe(true);
        continue;
      }
      if (command === "export HUB_TOKEN=<the admin key>") token = adminKey;
      else if (command === "export HUB_TOKEN=<the portal's token>") token = printedToken;
      else if (program === "npm" && args[0] === "run" && args[1] === "hub" && args[2] === "--") {
        const result = await runHubCommand(args.slice(3), {
          HUB_URL: hub.gatewayUrl,
          HUB_TOKEN: token!,
        });
        expect(result.stderr, command).toBe("");
        expect(result.code, command).toBe(0);
        if (args[3] === "partner" && args[4] === "create")
          printedToken = result.stdout.trim().split("\n").at(-1);
      } else if (program === "curl") {
        const { response, text } = await curl(args);
        expect(response.status, command).toBe(200);
        const answer = JSON.parse(text) as { data?: unknown; errors?: unknown };
        expect(answer.errors, command).toBeUndefined();
        expect(answer.data, command).toBeTruthy();
        // What the guide shows after `# →`: each "key":"value" it quotes is in the answer.
        for (const [pair] of (expected ?? "").matchAll(/"\w+":"[^"]*"/g))
          expect(text, command).toContain(pair);
        // A GET a CDN may keep, as the guide says.
        if (args.includes("-G"))
          expect(response.headers.get("cache-control"), command).toMatch(/max-age=\d+, public/);
      } else throw new Error(`A step of the walkthrough this test does not run: ${command}`);
      ran.push(command);
    }
    const expectedSteps = [
      "export HUB_TOKEN=<the admin key>",
      "npm run hub -- partner create ",
      "export HUB_TOKEN=<the portal's token>",
      "npm run hub -- app publish ",
      "npm run hub -- app list",
      "curl -s http://localhost:4000/graphql ",
      "curl -s -G http://localhost:4000/graphql ",
      "npm run hub -- app retire ",
    ];
    expect(ran).toHaveLength(expectedSteps.length);
    for (const [i, command] of ran.entries())
      expect(command.startsWith(expectedSteps[i]!), command).toBe(true);
    // Retired, as the last step says: refused again.
    const [, hash] = /"sha256Hash":"([0-9a-f]{64})"/.exec(WALKTHROUGH)!;
    const again = await fetch(`${hub.gatewayUrl}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        variables: { id: "COMA:59355" },
        extensions: { persistedQuery: { version: 1, sha256Hash: hash } },
      }),
    });
    expect(
      ((await again.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions
        .code,
    ).toBe("PERSISTED_QUERY_NOT_FOUND");
  });

  it("is right that a CDN may keep anonymous answers only", async () => {
    const url = `${hub.gatewayUrl}/graphql?query=${encodeURIComponent(`{ territory(id: "COMA:59355") { name } }`)}`;
    const headers = { "apollo-require-preflight": "true" };
    const keyed = await fetch(url, { headers: { ...headers, ...(await hub.as("analyst")) } });
    expect(await keyed.json()).toEqual({ data: { territory: { name: "Lomme" } } });
    expect(keyed.headers.get("cache-control")).toMatch(/^max-age=\d+, private$/);
    // Anonymous, the same query is refused here (trusted documents only), and says nothing cacheable.
    const anonymous = await fetch(url, { headers });
    expect(anonymous.status).toBe(403);
    expect(anonymous.headers.get("cache-control") ?? "").not.toMatch(/public/);
  });

  it("shows the hashes that examples/portal's manifest holds", () => {
    const manifest = readFileSync("examples/portal/generated/persisted-documents.json", "utf8");
    for (const [, hash] of GUIDE.matchAll(/"sha256Hash":"([0-9a-f]{64})"/g))
      expect(manifest).toContain(`"sha256:${hash}"`);
  });
});
