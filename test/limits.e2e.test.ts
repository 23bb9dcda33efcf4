import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHub, type TestHub } from "./harness.js";

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub?.close());

/** Sends an operation and returns the first error's code, counting the SQL statements it caused. */
async function refusal(query: string, variables?: Record<string, unknown>) {
  const statementsBefore = hub.database.statements.count;
  const { errors, data } = await hub.query(query, variables);
  return {
    code: errors?.[0]?.extensions?.code,
    message: errors?.[0]?.message,
    data,
    statements: hub.database.statements.count - statementsBefore,
  };
}

describe("request limits at the gateway", () => {
  it("refuses a deep query before calling any subgraph", async () => {
    const deep = `{ territory(id: "COMA:59355") { parent { parent { parent { parent { parent { parent { parent { parent { parent { parent { name } } } } } } } } } } } }`;
    const result = await refusal(deep);
    expect(result).toMatchObject({ code: "DEPTH_LIMIT_EXCEEDED", statements: 0 });
    expect(result.message).toMatch(/depth limit of 10/i);
  });

  it("refuses an alias bomb", async () => {
    const aliases = Array.from({ length: 30 }, (_, i) => `n${i}: name`).join(" ");
    expect(await refusal(`{ territory(id: "COM:59350") { ${aliases} } }`)).toMatchObject({
      code: "ALIAS_LIMIT_EXCEEDED",
      statements: 0,
    });
  });

  it("refuses too many root fields", async () => {
    const ten = Array.from(
      { length: 10 },
      (_, i) => `a${i}: territory(id: "COM:5935${i}") { name }`,
    ).join(" ");
    expect((await refusal(`{ ${ten} }`)).code).toBeUndefined();
    const distinct = Array.from(
      { length: 11 },
      (_, i) => `territory(id: "COM:593${String(i).padStart(2, "0")}") { name }`,
    );
    const aliased = distinct.map((field, i) => `a${i}: ${field}`).join(" ");
    expect(await refusal(`{ ${aliased} }`)).toMatchObject({
      code: "ROOT_FIELD_LIMIT_EXCEEDED",
      statements: 0,
    });
  });

  it("refuses a huge page, also when it comes through a variable", async () => {
    const { errors } = await hub.query(`{ territories(first: 1000) { totalCount } }`);
    expect(errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      limit: "pageSize",
      maximum: 100,
    });
    expect(await refusal(`{ territories(first: 1000) { totalCount } }`)).toMatchObject({
      code: "BAD_USER_INPUT",
      statements: 0,
    });
    expect(
      await refusal(`query($n: Int) { territories(first: $n) { totalCount } }`, { n: 1000 }),
    ).toMatchObject({ code: "BAD_USER_INPUT", statements: 0 });
    // A whole EPCI fits in one page of members.
    expect(
      (await refusal(`{ territory(id: "EPCI:200093201") { members(first: 200) { totalCount } } }`))
        .code,
    ).toBeUndefined();
  });

  it("refuses a cost bomb: lists nested in lists, each page small enough", async () => {
    const bomb = `{ territories(first: 100) { nodes { members(first: 100) { nodes { platforms(first: 100) { nodes { name url } } } } } } }`;
    const result = await refusal(bomb);
    expect(result).toMatchObject({ code: "COST_LIMIT_EXCEEDED", statements: 0 });
  });

  it("refuses an oversized document by its tokens", async () => {
    const fields = Array.from({ length: 3500 }, () => "name").join(" ");
    expect(await refusal(`{ territory(id: "COM:59350") { ${fields} } }`)).toMatchObject({
      code: "TOKEN_LIMIT_EXCEEDED",
      statements: 0,
    });
  });

  it("lets the portal's ordinary queries through", async () => {
    const result = await refusal(
      `{ territory(id: "COMA:59355") { name platforms(first: 20) { nodes { name themes { label } territories { name } } } } }`,
    );
    expect(result.code).toBeUndefined();
  });
});
