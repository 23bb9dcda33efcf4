import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { failedFetch, fieldPaths } from "./field-errors.js";

describe("the errors of a failed fetch", () => {
  it("name each root field the fetch would have filled", () => {
    const document = parse(
      `{ territory(id: "COM:59350") { name } t2: territory(id: "DEP:59") { name } __typename }`,
    );
    expect(fieldPaths(document)).toEqual([["territory"], ["t2"]]);
  });

  it("name each field of each entity, for the entity's own type", () => {
    const document =
      parse(`query($representations: [_Any!]!) { _entities(representations: $representations) {
      ... on Territory { carpoolOffers { origin } count: offerCount }
      ...platform } }
      fragment platform on Platform { rides }`);
    const representations = [
      { __typename: "Territory", id: "COMA:59355" },
      { __typename: "Platform", slug: "ebs" },
    ];
    expect(fieldPaths(document, { representations })).toEqual([
      ["_entities", 0, "carpoolOffers"],
      ["_entities", 0, "count"],
      ["_entities", 1, "rides"],
    ]);
  });

  it("carry the code and message on every path, without data", () => {
    const response = failedFetch({ query: "{ a b }" }, undefined, {
      message: "trop lent",
      code: "SUBGRAPH_TIMEOUT",
    });
    expect(response).toEqual({
      errors: [
        { message: "trop lent", path: ["a"], extensions: { code: "SUBGRAPH_TIMEOUT" } },
        { message: "trop lent", path: ["b"], extensions: { code: "SUBGRAPH_TIMEOUT" } },
      ],
    });
  });
});
