import { ApolloServer, HeaderMap } from "@apollo/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { responseCache } from "./response-cache.js";

const typeDefs = `
  enum CacheControlScope { PUBLIC PRIVATE }
  directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT
  type Query {
    territoryName: String @cacheControl(maxAge: 60)
    nextSlot: String @cacheControl(maxAge: 0)
  }
  type Mutation { book: Int }
`;

/** How many times each field was resolved: a cached answer resolves nothing. */
const resolved = { territoryName: 0, nextSlot: 0, book: 0 };
let server: ApolloServer;
beforeAll(async () => {
  server = new ApolloServer({
    typeDefs,
    resolvers: {
      Query: {
        territoryName: () => `Lomme ${++resolved.territoryName}`,
        nextSlot: () => `${++resolved.nextSlot}`,
      },
      Mutation: { book: () => ++resolved.book },
    },
    plugins: [responseCache()],
  });
  await server.start();
});
afterAll(() => server?.stop());

async function send(query: string, headers: Record<string, string> = {}) {
  const http = {
    method: "POST",
    headers: new HeaderMap(Object.entries(headers)),
    search: "",
    body: {},
  };
  const { body } = await server.executeOperation({ query, http });
  if (body.kind !== "single") throw new Error("incremental answer");
  return body.singleResult.data;
}

describe("the gateway's response cache", () => {
  it("answers a repeated anonymous query from the cache, for as long as its hints allow", async () => {
    const first = await send("{ territoryName }");
    expect(await send("{ territoryName }")).toEqual(first);
    expect(resolved.territoryName).toBe(1);
  });

  it("keeps nothing whose hints say it may not be kept", async () => {
    await send("{ nextSlot }");
    await send("{ nextSlot }");
    expect(resolved.nextSlot).toBe(2);
  });

  it("neither serves nor keeps an answer for a request with a credential", async () => {
    const before = resolved.territoryName;
    const query = "{ alias: territoryName }";
    await send(query, { authorization: "Bearer key" });
    await send(query, { cookie: "session=1" });
    expect(resolved.territoryName).toBe(before + 2);
    // Nothing the credentialed requests got was kept for anonymous ones.
    await send(query);
    expect(resolved.territoryName).toBe(before + 3);
  });

  it("never caches a mutation", async () => {
    await send("mutation { book }");
    await send("mutation { book }");
    expect(resolved.book).toBe(2);
  });
});
