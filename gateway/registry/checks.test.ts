import { buildSchema, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { chainedTypes } from "../../test/partner.js";
import { checkShape, nonNullablePartnerFields, schemaShape } from "./checks.js";

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

describe("the shape of a published schema", () => {
  it("counts its types and its longest chain of nested types, a cycle once", () => {
    expect(schemaShape(parse(chainedTypes(30_000)))).toEqual({ types: 30_000, depth: 30_000 });
    expect(
      schemaShape(parse("type A { b: B c: C } type B { a: A } type C { id: ID } scalar D")),
    ).toEqual({ types: 4, depth: 2 });
  });

  it("is refused with SCHEMA_TOO_COMPLEX past its bounds", () => {
    const refusal = (sdl: string) => {
      try {
        checkShape(parse(sdl), { maxTypes: 10, maxDepth: 5 });
        return undefined;
      } catch (error) {
        return (error as { extensions: { code: string } }).extensions.code;
      }
    };
    expect(refusal(chainedTypes(5))).toBeUndefined();
    expect(refusal(chainedTypes(6))).toBe("SCHEMA_TOO_COMPLEX");
    expect(refusal(Array.from({ length: 11 }, (_, i) => `scalar S${i}`).join("\n"))).toBe(
      "SCHEMA_TOO_COMPLEX",
    );
  });
});
