import { buildSchema, type OperationDefinitionNode, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { measureOperation } from "./operation-budget.js";

const schema = buildSchema(`
  type Query { territory(id: ID!): Territory  territories(first: Int): TerritoryConnection! }
  type Territory { name: String!  postalCodes: [String!]!  members(first: Int): TerritoryConnection!  tags: [Tag!]! }
  type Tag { label: String! }
  type TerritoryConnection { totalCount: Int!  nodes: [Territory!]! }
`);
const limits = { pageSize: 100, pageSizeOverrides: { "Territory.members": 500 } };

function measure(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  return measureOperation(
    schema,
    document,
    document.definitions[0] as OperationDefinitionNode,
    variables,
    limits,
  );
}

describe("measureOperation", () => {
  it("counts every field once outside lists", () => {
    expect(measure(`{ territory(id: "COM:59350") { name postalCodes } }`)).toMatchObject({
      cost: 3,
      rootFields: 1,
    });
  });

  it("multiplies by the page size, taken from literals or variables", () => {
    // territories, totalCount and nodes once; name once per node
    expect(measure(`{ territories(first: 10) { totalCount nodes { name } } }`).cost).toBe(
      1 + 1 + 1 + 10,
    );
    expect(
      measure(`query($n: Int) { territories(first: $n) { nodes { name } } }`, { n: 50 }).cost,
    ).toBe(1 + 1 + 50);
    expect(measure(`{ territories { nodes { name } } }`).cost).toBe(1 + 1 + 20); // the default page
    // A plain list of objects is estimated at 10 items; a list of strings is one field.
    expect(measure(`{ territory(id: "COM:59350") { postalCodes tags { label } } }`).cost).toBe(
      1 + 1 + 1 + 10,
    );
    // Nested pages multiply.
    expect(
      measure(`{ territories(first: 10) { nodes { members(first: 10) { nodes { name } } } } }`)
        .cost,
    ).toBe(1 + 1 + 10 + 10 + 100);
  });

  it("counts fragments where they are spread", () => {
    const withFragment = measure(
      `{ territories(first: 5) { ...Names } } fragment Names on TerritoryConnection { nodes { name } }`,
    );
    expect(withFragment.cost).toBe(1 + 1 + 5);
  });

  it("reports pages over the maximum of their field", () => {
    expect(measure(`{ territories(first: 101) { totalCount } }`).oversizedPages).toEqual([
      { field: "Query.territories", first: 101, maximum: 100 },
    ]);
    expect(
      measure(`{ territory(id: "EPCI:200093201") { members(first: 200) { totalCount } } }`)
        .oversizedPages,
    ).toEqual([]);
  });
});
