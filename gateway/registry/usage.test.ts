import { buildSchema, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { operationCoordinates } from "./usage.js";

const schema = buildSchema(`
  type Query { territory(id: ID!): Territory territories(kind: Kind, filter: Filter): [Territory!]! }
  type Territory { id: ID! name: String! carpoolOffers(first: Int): [Offer!] }
  type Offer { seats: Int! to: String! }
  enum Kind { COMMUNE EPCI }
  input Filter { search: String }
`);

describe("operation coordinates", () => {
  it("lists the fields, arguments, enums and input types an operation reads, through fragments and variables", () => {
    const document = parse(`
      query Covoiturage($kind: Kind, $filter: Filter) {
        territory(id: "COM:59350") { ...Offers }
        territories(kind: $kind, filter: $filter) { name }
      }
      fragment Offers on Territory { carpoolOffers(first: 2) { seats } }
    `);
    expect(operationCoordinates(schema, document)).toEqual([
      "Filter",
      "Kind",
      "Offer.seats",
      "Query.territories",
      "Query.territories.filter",
      "Query.territories.kind",
      "Query.territory",
      "Query.territory.id",
      "Territory.carpoolOffers",
      "Territory.carpoolOffers.first",
      "Territory.name",
    ]);
  });
});
