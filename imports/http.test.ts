import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchJson, SourceUnavailable, UpstreamError } from "./http.js";

/** Each path fails its first request as it says, then answers `{ "ok": true }`; `/not-json` never does. */
const hits = new Map<string, number>();
let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? "/";
    const hit = (hits.get(path) ?? 0) + 1;
    hits.set(path, hit);
    if (path === "/not-json")
      return void res.writeHead(200, { "content-type": "application/json" }).end("<html>");
    if (hit === 1 && path === "/stalls")
      return void res.writeHead(200, { "content-type": "application/json" }).write('{"ok":');
    if (hit === 1 && path === "/cut") {
      // Closed once the partial body is sent: the client reads it, then the end of the connection.
      res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
      return void res.write('{"ok":', () => res.socket?.end());
    }
    res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server?.closeAllConnections();
  server?.close();
});

// Only the stalling body ever reaches the timeout: the rest answer, or close, at once.
const options = { timeoutMs: 3000, retries: 2, backoffMs: 10 };

describe("fetching JSON from a platform", () => {
  it("retries a body that stalls past the timeout or is cut off, as it does a request that fails", async () => {
    const retries: string[] = [];
    expect(
      await fetchJson(`${base}/stalls`, { ...options, onRetry: (line) => retries.push(line) }),
    ).toEqual({ ok: true });
    expect(
      await fetchJson(`${base}/cut`, { ...options, onRetry: (line) => retries.push(line) }),
    ).toEqual({ ok: true });
    expect(retries).toEqual([
      `GET ${base}/stalls: no answer within 3000 ms (attempt 1, retrying)`,
      `GET ${base}/cut: the answer was cut off (attempt 1, retrying)`,
    ]);
  });

  it("fails at once on a body that is not JSON: asking again would not change it", async () => {
    await expect(fetchJson(`${base}/not-json`, options)).rejects.toThrow(
      `GET ${base}/not-json: the body is not JSON`,
    );
    expect(hits.get("/not-json")).toBe(1);
  });
});

describe("what a failure is", () => {
  it("an outage after the retries (SourceUnavailable), a wrong answer at once (UpstreamError with its status)", async () => {
    const down = createServer((req, res) => {
      if (req.url === "/gone") return void res.writeHead(404).end();
      res.socket?.destroy();
    });
    await new Promise<void>((resolve) => down.listen(0, "127.0.0.1", resolve));
    const at = `http://127.0.0.1:${(down.address() as AddressInfo).port}`;
    try {
      await expect(fetchJson(`${at}/cut`, options)).rejects.toThrow(
        new SourceUnavailable(`GET ${at}/cut: network error (3 attempts)`),
      );
      const gone = fetchJson(`${at}/gone`, options);
      await expect(gone).rejects.toBeInstanceOf(UpstreamError);
      await expect(gone).rejects.toMatchObject({
        status: 404,
        message: `GET ${at}/gone: HTTP 404`,
      });
    } finally {
      down.closeAllConnections();
      down.close();
    }
  });
});
