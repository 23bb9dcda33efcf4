import { buildSchema, type OperationDefinitionNode, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { estimateCost, readCostAnnotations } from "./cost.js";

const sdl = `
  directive @cost(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR
  directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
  type Query {
    territories(first: Int): TerritoryConnection! @listSize(slicingArguments: ["first"], sizedFields: ["nodes"], requireOneSlicingArgument: false)
    accounts(first: Int, last: Int): [Account!]! @listSize(slicingArguments: ["first", "last"])
    search(text: String @cost(weight: 5)): [Territory!]! @listSize(assumedSize: 3)
  }
  type Mutation { rename(name: String!): Territory }
  type Territory { name: String!  postalCodes: [String!]!  tags: [Tag!]!  heavy: Tag @cost(weight: 20) }
  type Tag { label: String! }
  type TerritoryConnection { totalCount: Int!  nodes: [Territory!]! }
  interface Account { id: ID!  similar: [Account!]! }
  type User implements Account { id: ID!  similar: [Account!]!  tags: [Tag!]! }
  type Admin implements Account { id: ID!  similar: [Account!]! }
`;
const schema = buildSchema(sdl);
const annotations = readCostAnnotations(sdl);

function estimate(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === "OperationDefinition",
  )!;
  return estimateCost(schema, document, operation, variables, annotations, {
    assumedListSize: 10,
  });
}

describe("estimateCost (IBM's cost directive specification)", () => {
  it("weighs objects 1 and leaves 0", () => {
    expect(estimate(`{ search { name heavy { label } } }`).cost).toBe(3 * (1 + 20));
  });

  it("sizes a connection's nodes by its slicing argument, from a literal or a variable", () => {
    // the connection 1, then 10 territories of weight 1 each
    expect(estimate(`{ territories(first: 10) { totalCount nodes { name } } }`).cost).toBe(1 + 10);
    expect(
      estimate(`query($n: Int) { territories(first: $n) { nodes { name } } }`, { n: 50 }).cost,
    ).toBe(1 + 50);
    expect(estimate(`{ territories(first: 10) { nodes { tags { label } } } }`).cost).toBe(
      1 + 10 * (1 + 10 * 1),
    );
    expect(estimate(`{ territories(first: 7) { totalCount } }`).slices).toEqual([
      { field: "Query.territories", argument: "first", value: 7 },
    ]);
  });

  it("falls back on assumedSize, then on the configured size, for a list without slicing argument", () => {
    expect(estimate(`{ territories { nodes { name } } }`).cost).toBe(1 + 10);
    expect(estimate(`{ search { name } }`).cost).toBe(3);
  });

  it("adds argument weights and a mutation's own", () => {
    expect(estimate(`{ search(text: "lille") { name } }`).cost).toBe(5 + 3);
    expect(estimate(`mutation { rename(name: "Lomme") { name } }`).cost).toBe(10 + 1);
  });

  it("costs an abstract selection as its most expensive possible type, not the sum", () => {
    const query = `{ accounts(first: 10) {
      ... on User { tags { label } similar { id } }
      ... on Admin { similar { id ... on Admin { similar { id } } } }
    } }`;
    // User: 1 + 10 tags + 10 similar = 21; Admin: 1 + 10 × (1 + at most 10 Admins) = 111
    expect(estimate(query).cost).toBe(10 * 111);
  });

  it("merges fields by response key before counting", () => {
    const once = estimate(`{ territories(first: 10) { nodes { tags { label } } } }`).cost;
    const split = estimate(`{ territories(first: 10) {
      nodes { tags { label } } ...More
    } } fragment More on TerritoryConnection { nodes { tags { label } name } }`).cost;
    expect(split).toBe(once);
  });

  it("says which field needs exactly one slicing argument", () => {
    expect(estimate(`{ accounts { id } }`).missingSlices).toEqual(["Query.accounts"]);
    expect(estimate(`{ accounts(first: 1, last: 2) { id } }`).missingSlices).toEqual([
      "Query.accounts",
    ]);
    expect(estimate(`{ accounts(first: 1) { id } }`).missingSlices).toEqual([]);
  });
});
