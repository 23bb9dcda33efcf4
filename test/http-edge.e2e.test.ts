import { createHash } from "node:crypto";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { type AuditResult, auditServer } from "graphql-http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { log } from "../lib/log.js";
import { startTestHub, type TestHub } from "./harness.js";

let hub: TestHub;
let graphqlUrl: string;
const errorLog = vi.spyOn(log, "error");
beforeAll(async () => {
  hub = await startTestHub();
  graphqlUrl = `${hub.gatewayUrl}/graphql`;
});
afterAll(() => hub?.close());

/** Sends a raw request; returns the status, the media type and the parsed body, counting SQL statements. */
async function send(init: RequestInit & { url?: string }) {
  const statementsBefore = hub.database.statements.count;
  const response = await fetch(init.url ?? graphqlUrl, init);
  const text = await response.text();
  return {
    status: response.status,
    type: response.headers.get("content-type")?.split(";")[0],
    body: text.startsWith("{") ? JSON.parse(text) : text,
    code: text.startsWith("{") ? JSON.parse(text).errors?.[0]?.extensions?.code : undefined,
    statements: hub.database.statements.count - statementsBefore,
  };
}
const post = (body: unknown, headers: Record<string, string> = {}) =>
  send({
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

const summary = (results: AuditResult[]) =>
  Object.fromEntries(
    (["ok", "notice", "warn", "error"] as const).map((status) => [
      status,
      results.filter((r) => r.status === status).map((r) => r.id),
    ]),
  );

describe("the GraphQL-over-HTTP spec at the hub's edge", () => {
  it("passes graphql-http's audit with no error, and no warning a bare Apollo Server 5 does not get", async () => {
    const bare = new ApolloServer({ typeDefs: "type Query { hello: String }" });
    const { url: bareUrl } = await startStandaloneServer(bare, { listen: { port: 0 } });
    try {
      const baseline = summary(await auditServer({ url: bareUrl }));
      const results = await auditServer({ url: graphqlUrl });
      const ours = summary(results);
      expect(ours.error, JSON.stringify(results.filter((r) => r.status === "error"))).toEqual([]);
      expect(ours.warn!.filter((id) => !baseline.warn!.includes(id))).toEqual([]);
    } finally {
      await bare.stop();
    }
  });

  it("answers a syntax error 400 GRAPHQL_PARSE_FAILED, a lone surrogate included", async () => {
    expect(await post({ query: "{" })).toMatchObject({
      status: 400,
      code: "GRAPHQL_PARSE_FAILED",
    });
    expect(await post({ query: '{ territory(id: "\uD800") { name } }' })).toMatchObject({
      status: 400,
      code: "GRAPHQL_PARSE_FAILED",
    });
  });

  it("answers the token limit 400 TOKEN_LIMIT_EXCEEDED, before any subgraph is called", async () => {
    const fields = Array.from({ length: 3500 }, () => "name").join(" ");
    expect(await post({ query: `{ territory(id: "COM:59350") { ${fields} } }` })).toMatchObject({
      status: 400,
      code: "TOKEN_LIMIT_EXCEEDED",
      statements: 0,
    });
  });

  it("answers body errors as GraphQL JSON with their status, never HTML", async () => {
    // Short, and long enough to be parsed off the event loop (parse-json.ts).
    for (const padding of ["", " ".repeat(100_000)])
      expect(await post(`${padding}{ pas du json`)).toMatchObject({
        status: 400,
        type: "application/json",
        code: "BAD_REQUEST",
      });
    expect(await post(`"une chaîne, pas un objet"`)).toMatchObject({
      status: 400,
      code: "BAD_REQUEST",
    });
    expect(
      await post({ query: `{ __typename }`, extensions: { padding: "x".repeat(500_000) } }),
    ).toMatchObject({ status: 200, body: { data: { __typename: "Query" } } });
    expect(await post({ query: `{ __typename }`, padding: "x".repeat(1_100_000) })).toMatchObject({
      status: 413,
      type: "application/json",
      code: "PAYLOAD_TOO_LARGE",
    });
    expect(
      await post(`{ "query": "{ __typename }" }`, {
        "content-type": "application/json; charset=iso-8859-1",
      }),
    ).toMatchObject({ status: 415, type: "application/json", code: "UNSUPPORTED_MEDIA_TYPE" });
    expect(
      await send({
        method: "POST",
        headers: { "content-type": "text/plain" },
        body: "{ __typename }",
      }),
    ).toMatchObject({ status: 415, type: "application/json", code: "UNSUPPORTED_MEDIA_TYPE" });
    expect(
      await send({
        method: "DELETE",
        headers: { "content-type": "application/json" },
        body: "{}",
      }),
    ).toMatchObject({ status: 405, type: "application/json", code: "METHOD_NOT_ALLOWED" });
    expect(await send({ url: `${hub.gatewayUrl}/nulle-part` })).toMatchObject({
      status: 404,
      type: "application/json",
      code: "NOT_FOUND",
    });
  });

  it("names the persisted-query hash mismatch", async () => {
    const query = "{ __typename }";
    const other = createHash("sha256").update("{ autre }").digest("hex");
    expect(
      await post({ query, extensions: { persistedQuery: { version: 1, sha256Hash: other } } }),
    ).toMatchObject({ status: 400, code: "PERSISTED_QUERY_HASH_MISMATCH" });
  });

  it("refuses NUL bytes in an argument or a variable as BAD_USER_INPUT, before any subgraph call", async () => {
    expect(await post({ query: '{ territory(id: "COM:\\u0000") { name } }' })).toMatchObject({
      status: 400,
      code: "BAD_USER_INPUT",
      statements: 0,
    });
    expect(
      await post({
        query: "query($q: String!) { platforms(first: 5, search: $q) { totalCount } }",
        variables: { q: "répar\u0000" },
      }),
    ).toMatchObject({ status: 400, code: "BAD_USER_INPUT", statements: 0 });
  });

  it("names the root-field limit whatever the root fields are", async () => {
    const typenames = Array.from({ length: 1600 }, () => "__typename").join(" ");
    const result = await post({ query: `{ ${typenames} }` });
    expect(result).toMatchObject({ status: 400, code: "ROOT_FIELD_LIMIT_EXCEEDED" });
    expect(result.body.errors[0].extensions).toMatchObject({ found: 1600, maximum: 10 });
  });

  it("refuses a page size of zero or less at the gateway", async () => {
    for (const first of [-5, 0])
      expect(
        await post({
          query: "query($n: Int) { territories(first: $n) { totalCount } }",
          variables: { n: first },
        }),
      ).toMatchObject({ status: 400, code: "BAD_USER_INPUT", statements: 0 });
  });

  it("logged nothing at error level for any of it", () => {
    expect(errorLog).not.toHaveBeenCalled();
  });
});
