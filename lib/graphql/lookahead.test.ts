import { buildSchema, type GraphQLResolveInfo, graphql } from "graphql";
import { describe, expect, it } from "vitest";
import { childSelections, entitySelections, prefetch } from "./lookahead.js";

const schema = buildSchema(`
  type Query { territory(id: ID!): Territory _entities: [Entity] }
  union Entity = Territory | Platform
  type Territory { name: String platforms(first: Int): PlatformConnection }
  type PlatformConnection { nodes: [Platform] }
  type Platform { name: String themes(limit: Int): [String] }
`);

/** What `childSelections(info, ...path)` sees from the root field `territory` of `query`. */
async function selectionsOf(
  query: string,
  path: string[],
  variableValues?: Record<string, unknown>,
) {
  let seen: Record<string, unknown>[] = [];
  const rootValue = {
    territory: (_args: unknown, _context: unknown, info: GraphQLResolveInfo) => {
      seen = childSelections(info, ...path);
      return null;
    },
  };
  const result = await graphql({ schema, source: query, rootValue, variableValues });
  expect(result.errors).toBeUndefined();
  return seen;
}

describe("childSelections", () => {
  it("finds a child field with its arguments, variables applied", async () => {
    expect(
      await selectionsOf(
        `query($n: Int) { territory(id: "x") { name platforms(first: $n) { nodes { name } } } }`,
        ["platforms"],
        { n: 7 },
      ),
    ).toEqual([{ first: 7 }]);
  });

  it("looks into inline and named fragments and aliases, and follows a path", async () => {
    const query = `
      query { territory(id: "x") { ... on Territory { platforms(first: 1) { nodes { themes(limit: 2) } } } ...More } }
      fragment More on Territory { more: platforms(first: 3) { nodes { name } } }`;
    expect(await selectionsOf(query, ["platforms"])).toEqual([{ first: 1 }, { first: 3 }]);
    expect(await selectionsOf(query, ["platforms", "nodes", "themes"])).toEqual([{ limit: 2 }]);
  });

  it("finds nothing the query does not ask, or the type does not have", async () => {
    expect(await selectionsOf(`{ territory(id: "x") { name } }`, ["platforms"])).toEqual([]);
    expect(await selectionsOf(`{ territory(id: "x") { name } }`, ["nope"])).toEqual([]);
  });
});

describe("entitySelections", () => {
  it("finds a field under the fragments on its type in an entities query, and nothing under another type's", async () => {
    let seen: Record<string, unknown>[][] = [];
    const rootValue = {
      _entities: (_args: unknown, _context: unknown, info: GraphQLResolveInfo) => {
        seen = [
          entitySelections(info, "Platform", "themes"),
          entitySelections(info, "Territory", "themes"),
          entitySelections(info, "Nope", "themes"),
        ];
        return [];
      },
    };
    const query = `{ _entities { ... on Territory { name } ... on Platform { name themes(limit: 4) } } }`;
    expect((await graphql({ schema, source: query, rootValue })).errors).toBeUndefined();
    expect(seen).toEqual([[{ limit: 4 }], [], []]);
  });
});

describe("prefetch", () => {
  it("starts the lookup and leaves its failure, thrown or rejected, to the resolver asking for it", async () => {
    let started = false;
    prefetch(async () => {
      started = true;
    });
    expect(started).toBe(true);
    expect(() => prefetch(() => Promise.reject(new Error("plus tard")))).not.toThrow();
    expect(() =>
      prefetch(() => {
        throw new Error("arguments invalides");
      }),
    ).not.toThrow();
  });
});
