import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { parse } from "graphql";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DEFAULT_LIMITS } from "../gateway/limits/config.js";
import { log } from "../lib/log.js";
import { request, startTestHub, type TestHub } from "./harness.js";

/**
 * A partner's subgraph with an interface of two implementations and a self-referencing list, as
 * in the issue: its annotations (`@listSize` on both lists) compose into the hub's estimate.
 */
const PARTNER_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@listSize"])
  type Query {
    accounts(first: Int): [Account!] @listSize(slicingArguments: ["first"], requireOneSlicingArgument: false)
  }
  interface Account {
    id: ID!
    similarAccounts(first: Int): [Account!]! @listSize(slicingArguments: ["first"], requireOneSlicingArgument: false)
  }
  type User implements Account {
    id: ID!
    pseudonym: String!
    similarAccounts(first: Int): [Account!]! @listSize(slicingArguments: ["first"], requireOneSlicingArgument: false)
  }
  type Admin implements Account {
    id: ID!
    team: String!
    similarAccounts(first: Int): [Account!]! @listSize(slicingArguments: ["first"], requireOneSlicingArgument: false)
  }
`;
const ACCOUNTS = [
  { id: "u1", kind: "User", pseudonym: "Ruche" },
  { id: "a1", kind: "Admin", team: "Animation" },
  { id: "u2", kind: "User", pseudonym: "Abeille" },
  { id: "a2", kind: "Admin", team: "Trésorerie" },
];
type Account = (typeof ACCOUNTS)[number];
const similar = (account: Account) => ACCOUNTS.filter((other) => other.id !== account.id);

let hub: TestHub;
let partner: { url: string; stop(): Promise<void> };
let partnerCalls = 0;
const errorLog = vi.spyOn(log, "error");

beforeAll(async () => {
  const server = new ApolloServer({
    schema: buildSubgraphSchema([
      {
        typeDefs: parse(PARTNER_SDL),
        resolvers: {
          Query: { accounts: () => ACCOUNTS },
          Account: { __resolveType: (account: Account) => account.kind },
          User: { similarAccounts: similar },
          Admin: { similarAccounts: similar },
        } as never,
      },
    ]),
    stopOnTerminationSignals: false,
    plugins: [{ requestDidStart: async () => void partnerCalls++ }],
  });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: "127.0.0.1" } });
  partner = { url, stop: () => server.stop() };
  hub = await startTestHub({
    gateway: { limits: { ...DEFAULT_LIMITS, costInExtensions: true } },
  });
  const published = await request(
    `${hub.gatewayUrl}/admin/graphql`,
    `mutation($url: String!) { publishSubgraph(name: "comptes", url: $url) { version } }`,
    { url },
    await hub.as("admin"),
  );
  expect(published.errors).toBeUndefined();
});
afterAll(async () => {
  await hub?.close();
  await partner?.stop();
});

/** Sends a query and returns its answer with how many calls the partner's subgraph received. */
async function send(query: string) {
  const before = partnerCalls;
  const response = await fetch(hub.gateway.url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as {
    data?: { accounts: { __typename: string; similarAccounts?: unknown[] }[] } | null;
    errors?: { extensions?: Record<string, unknown> }[];
    extensions?: { cost?: { estimated: number; maximum: number } };
  };
  return { status: response.status, body, partnerCalls: partnerCalls - before };
}

describe("the cost of a partner's interface and self-referencing list", () => {
  it("answers three levels with both branches at each level, as the estimate allows", async () => {
    const { status, body, partnerCalls } = await send(`{
      accounts {
        __typename
        ... on User { pseudonym similarAccounts {
          __typename
          ... on User { pseudonym similarAccounts { __typename ... on User { pseudonym } ... on Admin { team } } }
          ... on Admin { team }
        } }
        ... on Admin { team similarAccounts { __typename id } }
      }
    }`);
    // No page sizes sent: each list is assumed to hold 10. Each object weighs 1, each leaf 0;
    // a list of accounts costs its most expensive branch (User, with its list), not both.
    const third = 10 * 1;
    const second = 10 * (1 + third);
    const first = 10 * (1 + second);
    expect(first).toBe(1110);
    expect(body.extensions?.cost).toEqual({ estimated: first, maximum: 5000 });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(partnerCalls).toBeGreaterThan(0);
    const level1 = body.data!.accounts;
    expect(new Set(level1.map((a) => a.__typename))).toEqual(new Set(["User", "Admin"]));
    const level2 = level1.find((a) => a.__typename === "User")!.similarAccounts as {
      __typename: string;
      similarAccounts?: { __typename: string }[];
    }[];
    expect(new Set(level2.map((a) => a.__typename))).toEqual(new Set(["User", "Admin"]));
    const level3 = level2.find((a) => a.__typename === "User")!.similarAccounts!;
    expect(new Set(level3.map((a) => a.__typename))).toEqual(new Set(["User", "Admin"]));
  });

  it("refuses nested pages of 100 by their estimate, before calling the partner", async () => {
    const { status, body, partnerCalls } = await send(`{
      accounts(first: 100) { ... on User { similarAccounts(first: 100) {
        ... on User { similarAccounts(first: 100) { id } }
      } } }
    }`);
    const estimated = 100 * (1 + 100 * (1 + 100 * 1));
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions).toMatchObject({
      code: "COST_LIMIT_EXCEEDED",
      estimated,
      maximum: 5000,
    });
    expect(partnerCalls).toBe(0);
  });

  it("logged nothing at error level", () => {
    expect(errorLog).not.toHaveBeenCalled();
  });
});
