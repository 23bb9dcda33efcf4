import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { DEFAULT_FETCH, UpstreamError } from "../http.js";
import { HydraClient, parseHydraPage } from "./hydra.js";

const url = "https://api.example.org/repairers?itemsPerPage=2";

describe("parseHydraPage", () => {
  it("reads API Platform 3's prefixed collection and resolves the next page's IRI", () => {
    const page = parseHydraPage(
      {
        "hydra:member": [{ id: 1 }, { id: 2 }],
        "hydra:totalItems": 5,
        "hydra:view": {
          "@id": "/repairers?itemsPerPage=2&page=1",
          "hydra:next": "/repairers?itemsPerPage=2&page=2",
        },
      },
      url,
    );
    expect(page).toEqual({
      url,
      members: [{ id: 1 }, { id: 2 }],
      totalItems: 5,
      next: "https://api.example.org/repairers?itemsPerPage=2&page=2",
    });
  });

  it("reads API Platform 4's unprefixed names; the last page has no next", () => {
    expect(
      parseHydraPage(
        { member: [{ id: 5 }], totalItems: 5, view: { "@id": "/repairers?page=3" } },
        url,
      ),
    ).toMatchObject({ members: [{ id: 5 }], totalItems: 5, next: null });
  });

  it("refuses what is not a collection", () => {
    expect(() => parseHydraPage({ "hydra:member": "nope" }, url)).toThrow(UpstreamError);
    expect(() => parseHydraPage([], url)).toThrow("no hydra:member list");
  });
});

describe("HydraClient", () => {
  it("ends a collection whose pages link back to one already read: to itself, or in a loop of several", async () => {
    // Page 1 → 2 → 3 → 2 again; `self` points at itself.
    const next: Record<string, string> = {
      "/loop?page=1": "/loop?page=2",
      "/loop?page=2": "/loop?page=3",
      "/loop?page=3": "/loop?page=2",
      "/self": "/self",
    };
    const requests: string[] = [];
    const server = createServer((req, res) => {
      requests.push(req.url!);
      res.writeHead(200, { "content-type": "application/ld+json" }).end(
        JSON.stringify({
          "hydra:member": [req.url],
          "hydra:view": { "hydra:next": next[req.url!] },
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const client = new HydraClient(base, { ...DEFAULT_FETCH, retries: 0 }, 30);
      expect(await client.all(`${base}/loop?page=1`)).toEqual([
        "/loop?page=1",
        "/loop?page=2",
        "/loop?page=3",
      ]);
      expect(await client.all(`${base}/self`)).toEqual(["/self"]);
      // Page by page, as an import's phase reads them: the pages read are remembered between calls.
      const read = new Set<string>();
      const pages = [];
      for (let page: string | null = `${base}/loop?page=1`; page; page = pages.at(-1)!.next)
        pages.push(await client.page(page, read));
      expect(pages.map((p) => p.members)).toEqual([
        ["/loop?page=1"],
        ["/loop?page=2"],
        ["/loop?page=3"],
      ]);
      expect(requests).toHaveLength(7);
    } finally {
      server.close();
    }
  });
});
