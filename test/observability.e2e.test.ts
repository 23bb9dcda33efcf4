import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { trace } from "@opentelemetry/api";
import { afterAll, describe, expect, it } from "vitest";
import { startTracing } from "../lib/tracing.js";
import { startTestHub } from "./harness.js";
import { startHubProcess } from "./hub-process.js";

const PAGE = `query Page { territory(id: "COMA:59355") { name products(first: 1) { totalCount } collectivites { name } } }`;

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
}

/** A stand-in OpenTelemetry collector: an HTTP server that keeps the spans posted to /v1/traces (OTLP JSON). */
async function startCollector(): Promise<{ url: string; spans: OtlpSpan[]; server: Server }> {
  const spans: OtlpSpan[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      if (req.url === "/v1/traces") {
        const payload = JSON.parse(body) as {
          resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[];
        };
        for (const resource of payload.resourceSpans)
          for (const scope of resource.scopeSpans) spans.push(...scope.spans);
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, server };
}

// In this order: once a tracer provider is registered, it stays for the rest of this file's process.
describe("OpenTelemetry traces", () => {
  it("are off without OTEL_EXPORTER_OTLP_ENDPOINT: nothing starts, spans record nothing", async () => {
    expect(await startTracing({})).toBeUndefined();
    const hub = await startTestHub();
    try {
      expect(
        (await hub.query<{ territory: { name: string } }, unknown>(PAGE)).data?.territory.name,
      ).toBe("Lomme");
      expect(trace.getTracer("probe").startSpan("probe").isRecording()).toBe(false);
    } finally {
      await hub.close();
    }
  });

  it("reach the collector at OTEL_EXPORTER_OTLP_ENDPOINT: the gateway's spans and each subgraph's, in one trace", async () => {
    const collector = await startCollector();
    const stop = await startTracing({
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_SERVICE_NAME: "hub-test",
    });
    const hub = await startTestHub({
      gateway: { performance: { responseCache: false, deduplication: false } },
    });
    try {
      expect(
        (await hub.query<{ territory: { name: string } }, unknown>(PAGE)).data?.territory.name,
      ).toBe("Lomme");
    } finally {
      await hub.close();
      await stop!();
      collector.server.close();
    }
    const request = collector.spans.find((span) => span.name === "gateway.request");
    expect(request).toBeDefined();
    const inTrace = collector.spans.filter((span) => span.traceId === request!.traceId);
    const fetches = inTrace
      .filter((span) => span.name === "gateway.fetch")
      .map((span) => span.spanId);
    const subgraphs = inTrace.filter((span) => span.name.startsWith("subgraph "));
    expect(new Set(subgraphs.map((span) => span.name))).toEqual(
      new Set(["subgraph directory", "subgraph exchanges", "subgraph engagements"]),
    );
    for (const span of subgraphs) expect(fetches).toContain(span.parentSpanId);
  });
});

describe("LOG_FORMAT=json", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "hub-log-test-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  // A whole process that opens its own database: minutes on a machine running several suites.
  it("makes a real gateway process write one JSON object a line", async () => {
    const hub = startHubProcess(["gateway"], {
      LOG_FORMAT: "json",
      DATABASE_URL: "",
      DATA_DIR: dataDir,
    });
    await hub.waitFor(/gateway ready at/);
    expect(await hub.stop(), hub.output()).toBe(0);
    const lines = hub.output().split("\n").filter(Boolean);
    const events = lines.map(
      (line) => JSON.parse(line) as { level: string; msg: string; time: string },
    );
    expect(events.map((event) => event.msg)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^database: pglite/),
        expect.stringMatching(/^gateway ready at http:\/\/127\.0\.0\.1:\d+\/graphql$/),
        "SIGTERM: shutting down",
      ]),
    );
    for (const event of events)
      expect(event).toMatchObject({
        level: "info",
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
  }, 180_000);
});

describe("shutdown", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "hub-shutdown-test-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  // A whole process that opens its own database: minutes on a machine running several suites.
  it("closes what a gateway was starting when SIGTERM comes during start-up, and exits 0", async () => {
    // The signal comes as the first line is written, once the database is open and before the
    // gateway is started.
    const hub = startHubProcess(["gateway"], {
      DATABASE_URL: "",
      DATA_DIR: dataDir,
      NODE_OPTIONS: `--import ${new URL("./signal-after-line.mjs", import.meta.url).href}`,
      SIGNAL_AFTER_LINE: "^database: pglite",
    });
    expect(await hub.exited, hub.output()).toBe(0);
    expect(hub.output()).toMatch(
      /database: pglite[^\n]*\nSIGTERM: shutting down\n[\s\S]*gateway ready at/,
    );
  }, 180_000);
});
