import { describe, expect, it } from "vitest";
import { clientOf } from "./usage.js";
import { definedCoordinates } from "./usage-report.js";

describe("the coordinates a subgraph defines", () => {
  it("lists its fields and types, not what it only refers to nor federation's own", () => {
    const { fields, types } = definedCoordinates(`
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external"])
      type Territory @key(fields: "id") { id: ID! name: String @external carpoolOffers: [CarpoolOffer!] }
      type CarpoolOffer { origin: String! destination: String! }
      enum Kind { DAILY ONCE }
      type Query { _service: _Service! offers(kind: Kind): [CarpoolOffer!] }
      type _Service { sdl: String }
    `);
    expect([...fields].sort()).toEqual([
      "CarpoolOffer.destination",
      "CarpoolOffer.origin",
      "Query.offers",
      "Territory.carpoolOffers",
      "Territory.id",
    ]);
    expect([...types].sort()).toEqual(["CarpoolOffer", "Kind", "Query", "Territory"]);
  });
});

describe("the client a request names", () => {
  const headers = (values: Record<string, string>) => ({ get: (name: string) => values[name] });

  it("reads the conventional headers, then Apollo's, and cuts what is too long", () => {
    expect(
      clientOf(headers({ "graphql-client-name": "portail", "graphql-client-version": "2" })),
    ).toEqual({ name: "portail", version: "2" });
    expect(
      clientOf(
        headers({ "apollographql-client-name": "mobile", "apollographql-client-version": "3.1" }),
      ),
    ).toEqual({ name: "mobile", version: "3.1" });
    expect(clientOf(headers({ "graphql-client-version": "2" }))).toBeUndefined();
    expect(clientOf(headers({ "graphql-client-name": "x".repeat(100) }))?.name).toHaveLength(64);
  });
});
