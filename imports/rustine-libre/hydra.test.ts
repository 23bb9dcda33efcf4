import { describe, expect, it } from "vitest";
import { UpstreamError } from "../http.js";
import { parseHydraPage } from "./hydra.js";

const url = "https://api.example.org/repairers?itemsPerPage=2";

describe("parseHydraPage", () => {
  it("reads API Platform 3's prefixed collection and resolves the next page's IRI", () => {
    const page = parseHydraPage(
      { "hydra:member": [{ id: 1 }, { id: 2 }], "hydra:totalItems": 5, "hydra:view": { "@id": "/repairers?itemsPerPage=2&page=1", "hydra:next": "/repairers?itemsPerPage=2&page=2" } },
      url,
    );
    expect(page).toEqual({ url, members: [{ id: 1 }, { id: 2 }], totalItems: 5, next: "https://api.example.org/repairers?itemsPerPage=2&page=2" });
  });

  it("reads API Platform 4's unprefixed names; the last page has no next", () => {
    expect(parseHydraPage({ member: [{ id: 5 }], totalItems: 5, view: { "@id": "/repairers?page=3" } }, url)).toMatchObject({ members: [{ id: 5 }], totalItems: 5, next: null });
  });

  it("stops at a page that points at itself, and refuses what is not a collection", () => {
    expect(parseHydraPage({ "hydra:member": [], "hydra:view": { "hydra:next": url } }, url).next).toBeNull();
    expect(() => parseHydraPage({ "hydra:member": "nope" }, url)).toThrow(UpstreamError);
    expect(() => parseHydraPage([], url)).toThrow("no hydra:member list");
  });
});
