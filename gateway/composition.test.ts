import { describe, expect, it } from "vitest";
import {
  CompositionFailed,
  composeSupergraph,
  type SubgraphSource,
  supergraphHash,
} from "./composition.js";

const link = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])`;
const territories: SubgraphSource = {
  name: "territories",
  url: "http://127.0.0.1:1/graphql",
  sdl: `${link}
    type Query { territory(id: ID!): Territory }
    type Territory @key(fields: "id") { id: ID! name: String! }`,
};
const repairs: SubgraphSource = {
  name: "repairs",
  url: "http://127.0.0.1:2/graphql",
  sdl: `${link}
    type Territory @key(fields: "id") { id: ID! repairerCount: Int! }`,
};

describe("composing the supergraph", () => {
  it("joins the subgraphs' fields on one entity, and gives clients a schema without the federation machinery", () => {
    const supergraph = composeSupergraph([territories, repairs]);
    expect(supergraph.supergraphSdl).toContain("join__graph");
    expect(supergraph.supergraphSdl).toContain('url: "http://127.0.0.1:2/graphql"');
    const territory = /type Territory \{([^}]*)\}/.exec(supergraph.apiSdl)?.[1];
    expect(territory?.match(/\w+(?=:)/g)?.sort()).toEqual(["id", "name", "repairerCount"]);
    expect(supergraph.apiSdl).not.toContain("join__");
    expect(supergraph.hash).toBe(supergraphHash(supergraph.supergraphSdl));
  });

  it("gives the same supergraph, and hash, for the same subgraphs", () => {
    expect(composeSupergraph([territories, repairs]).hash).toBe(
      composeSupergraph([territories, repairs]).hash,
    );
  });

  it("throws every composition error, with the subgraphs it names", () => {
    const conflicting: SubgraphSource = {
      ...repairs,
      sdl: `${link}
        type Territory @key(fields: "id") { id: ID! name: Int! }`,
    };
    let failure: unknown;
    try {
      composeSupergraph([territories, conflicting]);
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(CompositionFailed);
    const { issues } = failure as CompositionFailed;
    expect(issues.length).toBeGreaterThan(0);
    expect(issues).toContainEqual(
      expect.objectContaining({
        code: expect.any(String),
        subgraphs: expect.arrayContaining(["territories", "repairs"]),
      }),
    );
  });
});
