import { readdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHub, type TestHub } from "./harness.js";

const OPERATIONS = "gateway/playground/operations";
const operations = readdirSync(OPERATIONS)
  .filter((name) => name.endsWith(".graphql"))
  .map((name) => ({ name, document: readFileSync(`${OPERATIONS}/${name}`, "utf8") }));

describe("the playground's ready operations", () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(() => hub?.close());

  it("has a French title on the first line of each", () => {
    expect(operations.length).toBeGreaterThanOrEqual(6);
    for (const { name, document } of operations)
      expect(document.split("\n")[0], name).toMatch(/^# \p{Lu}.+/u);
  });

  it.each(operations)("runs $name as it is, anonymously, with an answer", async ({ document }) => {
    const { data, errors } = await hub.query<Record<string, unknown>, never>(document);
    expect(errors).toBeUndefined();
    const [answer] = Object.values(data ?? {});
    // A territory or platform found, or a statistics series with something in it.
    expect(answer).toBeTruthy();
    if (Array.isArray(answer)) expect(answer.length).toBeGreaterThan(0);
  });
});

describe("a locked-down deployment", () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ gateway: { playground: { enabled: false, introspection: false } } });
  });
  afterAll(() => hub?.close());

  it("serves no playground", async () => {
    for (const path of ["/", "/playground"])
      expect((await fetch(hub.gatewayUrl + path)).status, path).toBe(404);
  });

  it("refuses introspection and still answers queries", async () => {
    const introspection = await hub.query("{ __schema { queryType { name } } }");
    expect(introspection.data ?? null).toBeNull();
    expect(introspection.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    const { data } = await hub.query<{ territory: { name: string } }, never>(
      '{ territory(id: "COM:59350") { name } }',
    );
    expect(data?.territory.name).toBe("Lille");
  });
});
