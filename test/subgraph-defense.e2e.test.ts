import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { IDENTITY_HEADER, identitySecret, signIdentity } from "../lib/identity.js";
import { log } from "../lib/log.js";
import { subgraphHost } from "../lib/subgraph.js";
import { serviceHeaders, startTestHub, type TestHub } from "./harness.js";

let hub: TestHub;
let directory: string;
const errorLog = vi.spyOn(log, "error");
beforeAll(async () => {
  hub = await startTestHub();
  directory = hub.subgraphs.get("directory")!.url;
});
afterAll(() => hub?.close());

/** Sends a query straight to the directory subgraph, counting the SQL statements it caused. */
async function direct(query: string, headers: Record<string, string>) {
  const before = hub.database.statements.count;
  const response = await fetch(directory, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as {
    data?: unknown;
    errors?: { extensions?: { code?: string } }[];
  };
  return {
    status: response.status,
    code: body.errors?.[0]?.extensions?.code,
    data: body.data,
    statements: hub.database.statements.count - before,
  };
}

describe("a subgraph called directly", () => {
  const query = `{ territory(id: "COM:59350") { name } }`;

  it("answers only the hub's gateways and its service tokens", async () => {
    const forged = await signIdentity(
      { role: "admin", subject: "intrus", actsFor: null },
      new TextEncoder().encode("z".repeat(40)),
    );
    for (const headers of [
      {},
      { [IDENTITY_HEADER]: forged },
      { authorization: "Bearer x" },
    ] as Record<string, string>[])
      expect(await direct(query, headers)).toMatchObject({
        status: 401,
        code: "UNAUTHENTICATED",
        statements: 0,
      });
    const signed = await signIdentity(
      { role: "anonymous", subject: null, actsFor: null },
      identitySecret(),
    );
    expect(await direct(query, { [IDENTITY_HEADER]: signed })).toMatchObject({
      status: 200,
      data: { territory: { name: "Lille" } },
    });
    expect(await direct(query, await serviceHeaders())).toMatchObject({
      status: 200,
      data: { territory: { name: "Lille" } },
    });
  });

  it("applies the gateway's alias, depth and token limits itself, before any SQL", async () => {
    const headers = await serviceHeaders();
    const aliases = (length: number) =>
      Array.from({ length }, (_, i) => `t${i}: territory(id: "COM:59350") { name }`).join(" ");
    // The 300-alias query, which ran past two minutes here, is over the token limit.
    expect(await direct(`{ ${aliases(300)} }`, headers)).toMatchObject({
      status: 400,
      code: "TOKEN_LIMIT_EXCEEDED",
      statements: 0,
    });
    expect(await direct(`{ ${aliases(30)} }`, headers)).toMatchObject({
      status: 400,
      code: "ROOT_FIELD_LIMIT_EXCEEDED",
      statements: 0,
    });
    const names = Array.from({ length: 30 }, (_, i) => `n${i}: name`).join(" ");
    expect(await direct(`{ territory(id: "COM:59350") { ${names} } }`, headers)).toMatchObject({
      status: 400,
      code: "ALIAS_LIMIT_EXCEEDED",
      statements: 0,
    });
    const deep = `{ territory(id: "COMA:59355") { ${"parent { ".repeat(11)}name${" }".repeat(11)} } }`;
    expect(await direct(deep, headers)).toMatchObject({
      status: 400,
      code: "DEPTH_LIMIT_EXCEEDED",
      statements: 0,
    });
    const tokens = Array.from({ length: 3500 }, () => "name").join(" ");
    expect(await direct(`{ territory(id: "COM:59350") { ${tokens} } }`, headers)).toMatchObject({
      status: 400,
      code: "TOKEN_LIMIT_EXCEEDED",
      statements: 0,
    });
    expect(await direct(`{ territory(id: "COM:\\u0000") { name } }`, headers)).toMatchObject({
      status: 400,
      code: "BAD_USER_INPUT",
      statements: 0,
    });
  });

  it("listens on loopback unless SUBGRAPH_HOST says otherwise, whatever the gateway's HOST", () => {
    expect(new URL(directory).hostname).toBe("127.0.0.1");
    expect(subgraphHost({ HOST: "0.0.0.0" })).toBe("127.0.0.1");
    expect(subgraphHost({ HOST: "0.0.0.0", SUBGRAPH_HOST: "10.0.0.5" })).toBe("10.0.0.5");
  });

  it("logged nothing at error level", () => {
    expect(errorLog).not.toHaveBeenCalled();
  });
});
