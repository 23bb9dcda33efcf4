import "reflect-metadata";
import { ApolloServer } from "@apollo/server";
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from "@apollo/server/plugin/disabled";
import { startStandaloneServer } from "@apollo/server/standalone";
import { buildSubgraphSchema } from "@apollo/subgraph";
import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper/index.js";
import { printSchemaWithDirectives } from "@graphql-tools/utils";
import { parse } from "graphql";
import { buildSchema, createResolversMap } from "type-graphql";
import {
  type CarpoolContext,
  createContext,
  orphanedTypes,
  referenceResolvers,
  resolvers,
} from "./schema.js";

/** Federation 2, and the `@cacheControl` the hub reads to cache public answers. */
const FEDERATION_HEADER = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
enum CacheControlScope { PUBLIC PRIVATE }
directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
`;

export interface RunningCarpool {
  url: string;
  stop(): Promise<void>;
}

/**
 * The carpool cooperative's subgraph: type-graphql builds the schema, printed with its
 * directives (`@key`) under the Federation header, then served by @apollo/subgraph, which adds
 * `_service { sdl }` (what the hub's registry fetches) and `_entities`.
 */
export async function startCarpool({
  port = 4010,
  host = "127.0.0.1",
} = {}): Promise<RunningCarpool> {
  // No root field of its own: the entities it serves are listed so that type-graphql emits them.
  const built = await buildSchema({ resolvers, orphanedTypes, skipCheck: true, validate: false });
  const resolverMap = createResolversMap(built) as GraphQLResolverMap<CarpoolContext>;
  for (const [type, reference] of Object.entries(referenceResolvers))
    resolverMap[type] = { ...(resolverMap[type] as object), ...reference } as never;
  const schema = buildSubgraphSchema([
    {
      typeDefs: parse(`${FEDERATION_HEADER}\n${printSchemaWithDirectives(built)}`),
      resolvers: resolverMap as never,
    },
  ]);
  const apollo = new ApolloServer<CarpoolContext>({
    schema,
    stopOnTerminationSignals: false,
    plugins: [ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginLandingPageDisabled()],
  });
  const { url } = await startStandaloneServer(apollo, {
    listen: { port, host },
    context: async () => createContext(),
  });
  return { url, stop: () => apollo.stop() };
}

// Run directly (`npx tsx examples/carpool/server.ts`): CARPOOL_PORT, default 4010.
if (import.meta.url === `file://${process.argv[1]}`) {
  const carpool = await startCarpool({ port: Number(process.env.CARPOOL_PORT ?? 4010) });
  console.log(`carpool subgraph ready at ${carpool.url}`);
  const stop = () => void carpool.stop().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
