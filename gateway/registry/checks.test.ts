import { buildSchema, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { nonNullablePartnerFields } from "./checks.js";

const hub = buildSchema(`
  type Query { territory(id: ID!): Territory }
  type Territory { id: ID! name: String! }
`);
const partner = (fields: string, root = "") =>
  parse(`
  type Territory @key(fields: "id") { id: ID! ${fields} }
  type CarpoolOffer { origin: String! }
  ${root}
`);

describe("the schema policy of a partner's subgraph", () => {
  it("refuses a non-null field added to a hub type, lists with non-null items allowed", () => {
    expect(nonNullablePartnerFields(partner("carpoolOffers: [CarpoolOffer!]!"), hub)).toEqual([
      "Territory.carpoolOffers",
    ]);
    expect(nonNullablePartnerFields(partner("carpoolOffers: [CarpoolOffer!]"), hub)).toEqual([]);
  });

  it("refuses a non-null root field, under any root type name, and leaves the partner's own types alone", () => {
    const sdl = partner(
      "seats: Int",
      `schema { query: Racine } type Racine { offers: [CarpoolOffer!]! count: Int }`,
    );
    expect(nonNullablePartnerFields(sdl, hub)).toEqual(["Racine.offers"]);
    expect(
      nonNullablePartnerFields(
        partner(
          "",
          "type Query { offer: CarpoolOffer! _service: _Service! _entities: [_Entity]! }",
        ),
        hub,
      ),
    ).toEqual(["Query.offer"]);
  });
});
