import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHub, type TestHub } from "./harness.js";

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub?.close());

describe("gateway", () => {
  it("is alive and ready once the supergraph is loaded and the database answers", async () => {
    expect((await fetch(`${hub.gatewayUrl}/health`)).status).toBe(200);
    const ready = await fetch(`${hub.gatewayUrl}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ checks: { supergraph: true, database: true } });
  });

  it("serves the supergraph it routes with", async () => {
    const sdl = await (await fetch(`${hub.gatewayUrl}/supergraph.graphql`)).text();
    expect(sdl).toContain("join__Graph");
    expect(sdl).toContain("DIRECTORY");
  });

  it("answers a request that is not GraphQL with an error, and keeps serving", async () => {
    const bad = await fetch(`${hub.gatewayUrl}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    expect(bad.status).toBe(400);
    const invalid = await hub.query(`{ territory(id: "COM:59350") { nope } }`);
    expect(invalid.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    const ok = await hub.query<{ territory: { name: string } }, unknown>(
      `{ territory(id: "COM:59350") { name } }`,
    );
    expect(ok.data?.territory.name).toBe("Lille");
  });
});

describe("errors a subgraph answers with HTTP 400", () => {
  it("reach the client with the subgraph's code, not as an outage", async () => {
    const { errors } = await hub.query(
      `query($from: LocalDate!) { product(id: "demo-product-01") { availability(from: $from, to: "2026-12-31") { available } } }`,
      {
        from: "pas une date",
      },
    );
    expect(errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});

describe("metrics", () => {
  it("counts requests, errors by code and subgraph calls in Prometheus format", async () => {
    await hub.query(`query MetricsProbe { territory(id: "COM:59009") { name } }`);
    await hub.query(`query MetricsProbe { territory(id: "not-an-id") { name } }`);
    const response = await fetch(`${hub.gatewayUrl}/metrics`);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(
      /hub_graphql_requests_total\{operation="MetricsProbe",outcome="success"\} 1/,
    );
    expect(text).toMatch(
      /hub_graphql_requests_total\{operation="MetricsProbe",outcome="error"\} 1/,
    );
    expect(text).toMatch(/hub_graphql_errors_total\{code="BAD_USER_INPUT"\} [1-9]/);
    expect(text).toMatch(
      /hub_subgraph_fetch_duration_seconds_count\{subgraph="directory",outcome="success"\} [1-9]/,
    );
    expect(text).toMatch(/hub_process_resident_memory_bytes \d+/);
  });
});

// Last: it stops the directory subgraph.
describe("a subgraph that is down", () => {
  it("degrades only the fields of a subgraph that is down, without leaking its address", async () => {
    await hub.subgraphs.get("directory")!.close();
    // A query not answered before, so that no cached answer stands in for the subgraph.
    const response = await hub.query(`{ territory(id: "COM:59512") { name } }`);
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: "SUBGRAPH_UNAVAILABLE",
      serviceName: "directory",
    });
    expect(JSON.stringify(response)).not.toMatch(/127\.0\.0\.1|localhost|ECONNREFUSED/);
    expect((await fetch(`${hub.gatewayUrl}/health`)).status).toBe(200);
  });
});
