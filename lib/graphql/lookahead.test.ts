import { buildSchema, type GraphQLResolveInfo, graphql } from "graphql";
import { describe, expect, it } from "vitest";
import { childSelections, entitySelections, prefetch } from "./lookahead.js";

const schema = buildSchema(`
  type Query { territory(id: ID!): Territory _entities: [Entity] }
  union Entity = Territory | Platform
  interface Place { platforms(first: Int): PlatformConnection }
  type Territory implements Place { name: String platforms(first: Int): PlatformConnection }
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

  it("honours @skip and @include, on fields and on fragments, with variables", async () => {
    const query = `
      query($skip: Boolean!, $include: Boolean!) { territory(id: "x") {
        a: platforms(first: 1) @skip(if: $skip) { nodes { name } }
        b: platforms(first: 2) @include(if: $include) { nodes { name } }
        ... on Territory @include(if: $include) { c: platforms(first: 3) { nodes { name } } }
        ...D @skip(if: $skip)
      } }
      fragment D on Territory { d: platforms(first: 4) { nodes { name } } }`;
    expect(await selectionsOf(query, ["platforms"], { skip: true, include: false })).toEqual([]);
    expect(await selectionsOf(query, ["platforms"], { skip: false, include: true })).toEqual([
      { first: 1 },
      { first: 2 },
      { first: 3 },
      { first: 4 },
    ]);
  });

  it("looks into fragments on an interface the type implements", async () => {
    const query = `
      { territory(id: "x") { ... on Place { platforms(first: 5) { nodes { name } } } ...P } }
      fragment P on Place { other: platforms(first: 6) { nodes { themes(limit: 1) } } }`;
    expect(await selectionsOf(query, ["platforms"])).toEqual([{ first: 5 }, { first: 6 }]);
    expect(await selectionsOf(query, ["platforms", "nodes", "themes"])).toEqual([{ limit: 1 }]);
  });

  it("counts a field asked twice under one response key once", async () => {
    const query = `{ territory(id: "x") { platforms(first: 2) { nodes { name } } ... on Territory { platforms(first: 2) { nodes { themes } } } } }`;
    expect(await selectionsOf(query, ["platforms"])).toEqual([{ first: 2 }]);
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
