import { ApolloServer, type ApolloServerPlugin, HeaderMap } from "@apollo/server";
import { afterEach, describe, expect, it } from "vitest";
import { inFlightDeduplication } from "./dedup.js";

const typeDefs = `type Query { territory: String } type Mutation { book: Int }`;

/**
 * A server whose `territory` resolver waits until the test releases it, and which counts the
 * requests that reached the point where the deduplication answers (the plugin just before it).
 */
async function heldServer() {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const counts = { resolved: 0, booked: 0, reached: 0 };
  const reached: ApolloServerPlugin = {
    async requestDidStart() {
      return {
        async responseForOperation() {
          counts.reached++;
          return null;
        },
      };
    },
  };
  const server = new ApolloServer({
    typeDefs,
    resolvers: {
      Query: {
        territory: async () => {
          counts.resolved++;
          await held;
          return "Lomme";
        },
      },
      Mutation: { book: () => ++counts.booked },
    },
    plugins: [reached, inFlightDeduplication()],
  });
  await server.start();
  servers.push(server);
  const send = async (query: string, headers: Record<string, string> = {}) => {
    const http = {
      method: "POST",
      headers: new HeaderMap(Object.entries(headers)),
      search: "",
      body: {},
    };
    const { body } = await server.executeOperation({ query, http });
    if (body.kind !== "single") throw new Error("incremental answer");
    return body.singleResult;
  };
  /** Once `n` requests have reached the deduplication, and it has taken them in. */
  const untilReached = async (n: number) => {
    while (counts.reached < n) await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { send, release, counts, untilReached };
}

const servers: ApolloServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

describe("in-flight deduplication", () => {
  it("answers identical anonymous queries that arrive while the first runs with its result", async () => {
    const { send, release, counts, untilReached } = await heldServer();
    const answers = Array.from({ length: 5 }, () => send("{ territory }"));
    await untilReached(5);
    release();
    expect((await Promise.all(answers)).map((a) => a.data)).toEqual(
      Array(5).fill({ territory: "Lomme" }),
    );
    expect(counts.resolved).toBe(1);
  });

  it("runs the same query again once the first has answered", async () => {
    const { send, release, counts } = await heldServer();
    release();
    await send("{ territory }");
    await send("{ territory }");
    expect(counts.resolved).toBe(2);
  });

  it("runs each request with a credential on its own", async () => {
    const { send, release, counts, untilReached } = await heldServer();
    const answers = [
      send("{ territory }"),
      send("{ territory }", { authorization: "Bearer a" }),
      send("{ territory }", { cookie: "session=b" }),
    ];
    await untilReached(3);
    release();
    await Promise.all(answers);
    expect(counts.resolved).toBe(3);
  });

  it("tells different queries apart and never merges a mutation", async () => {
    const { send, release, counts, untilReached } = await heldServer();
    const answers = [send("{ territory }"), send("query Other { territory }")];
    await untilReached(2);
    release();
    await Promise.all(answers);
    expect(counts.resolved).toBe(2);
    await Promise.all([send("mutation { book }"), send("mutation { book }")]);
    expect(counts.booked).toBe(2);
  });
});
