import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { graphql, parse } from "graphql";

export type PartnerBehaviour = "healthy" | "hanging" | "failing";

export interface RunningPartner {
  url: string;
  /** What it does from now on with each request. */
  behave(behaviour: PartnerBehaviour): void;
  /** Requests it received, and connections the gateway closed before it answered. */
  readonly requests: number;
  readonly abandoned: number;
  close(): Promise<void>;
}

/** A partner's SDL adding `Territory.carpoolOffers` of the given GraphQL type. */
export const carpoolSdl = (carpoolOffersType = "[CarpoolOffer!]") => `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Territory @key(fields: "id") {
  id: ID!
  "Les trajets proposés au départ de ce territoire."
  carpoolOffers: ${carpoolOffersType}
}
type CarpoolOffer {
  "Lieu de départ."
  origin: String!
  destination: String!
}
`;

/** `T0 → T1 → … → T(n-1)`: n types, each the type of a field of the previous. */
export const chainedTypes = (n: number) =>
  Array.from(
    { length: n },
    (_, i) => `type T${i} { value: String${i + 1 < n ? ` next: T${i + 1}` : ""} }`,
  ).join("\n");

/** A hostile partner's SDL: `Territory.chain` leads into 23,769 chained types, just under 1 MB. */
export const chainedSdl = () => `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Territory @key(fields: "id") { id: ID! chain: T0 }
${chainedTypes(23_769)}
`;

/**
 * A partner's subgraph, a real HTTP server, whose behaviour a test sets: healthy (it answers
 * from its SDL), hanging (it never answers, and notes when the connection is closed) or failing
 * (HTTP 500).
 */
export async function startPartner(
  sdl = carpoolSdl(),
  host = "127.0.0.1",
  port = 0,
): Promise<RunningPartner> {
  const schema = buildSubgraphSchema([
    {
      typeDefs: parse(sdl),
      resolvers: {
        Territory: {
          __resolveReference: (reference: { id: string }) => reference,
          carpoolOffers: ({ id }: { id: string }) => [
            { origin: `Mairie (${id})`, destination: "Gare de Lille-Flandres" },
          ],
        },
      } as never,
    },
  ]);
  let behaviour: PartnerBehaviour = "healthy";
  let requests = 0;
  let abandoned = 0;
  const hanging = new Set<ServerResponse>();
  const server = createServer(async (req, res) => {
    requests += 1;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (behaviour === "hanging") {
      hanging.add(res);
      res.on("close", () => {
        hanging.delete(res);
        abandoned += 1;
      });
      return;
    }
    if (behaviour === "failing") {
      res.writeHead(500, { "content-type": "text/plain" }).end("Internal Server Error");
      return;
    }
    const { query, variables } = JSON.parse(Buffer.concat(chunks).toString()) as {
      query: string;
      variables?: Record<string, unknown>;
    };
    const result = await graphql({ schema, source: query, variableValues: variables ?? null });
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(result));
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${bound}/graphql`,
    behave: (next) => {
      behaviour = next;
    },
    get requests() {
      return requests;
    },
    get abandoned() {
      return abandoned;
    },
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
