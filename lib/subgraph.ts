import "reflect-metadata";
import { ApolloServer } from "@apollo/server";
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from "@apollo/server/plugin/disabled";
import { buildSubgraphSchema, printSubgraphSchema } from "@apollo/subgraph";
import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper/index.js";
import { expressMiddleware } from "@as-integrations/express5";
import { printSchemaWithDirectives } from "@graphql-tools/utils";
import express from "express";
import { type GraphQLResolveInfo, type GraphQLSchema, parse } from "graphql";
import { buildSchema, type ClassType, createResolversMap, type NonEmptyArray } from "type-graphql";
import { authChecker } from "./authorization.js";
import type { Database } from "./database.js";
import { maskInternalErrors } from "./graphql/errors.js";
import { listen, type RunningServer } from "./http.js";
import { IDENTITY_HEADER, type Identity, identitySecret, verifyIdentity } from "./identity.js";
import { subgraphTracingPlugin } from "./tracing.js";

/** What every resolver of a subgraph receives: the database, this request's DataLoaders, the caller. */
export interface SubgraphContext<Loaders> {
  db: Database;
  loaders: Loaders;
  /** Verified from the gateway's signed header; anonymous when missing or forged. */
  identity: Identity;
}

/**
 * As @apollo/subgraph calls it: the representation, the context, and the info of `_entities` (its
 * resolver map types it as a field resolver, whose second and third arguments are others).
 */
export type ReferenceResolver<Loaders> = (
  reference: never,
  context: SubgraphContext<Loaders>,
  info: GraphQLResolveInfo,
) => unknown;

/**
 * One subgraph of the hub. Every folder under `subgraphs/` exports one of these from its
 * `index.ts`; `npm start`, `npm run compose`, the tests and `hub subgraph NAME` all go through it.
 */
export interface SubgraphDefinition<Loaders = unknown> {
  name: string;
  defaultPort: number;
  /** type-graphql resolver classes. */
  resolvers: NonEmptyArray<ClassType>;
  /** `__resolveReference` of each entity this subgraph owns or extends, by type name. */
  referenceResolvers: Record<string, { __resolveReference: ReferenceResolver<Loaders> }>;
  createLoaders(db: Database): Loaders;
  /** drizzle-kit's output folder for this subgraph's `pgSchema`. */
  migrationsFolder: string;
  /** Fills reference and demonstration data; running it twice changes nothing. */
  seed(db: Database, progress: (line: string) => void): Promise<void>;
  /** Background work run while the subgraph serves (periodic jobs); returns what stops it. */
  start?(db: Database): () => Promise<void>;
}

/** A subgraph whatever its loaders, for code that handles them all. */
// biome-ignore lint/suspicious/noExplicitAny: loaders are each subgraph's own type; code over all subgraphs never reads them.
export type AnySubgraphDefinition = SubgraphDefinition<any>;

/**
 * The header every subgraph SDL starts with: Federation 2, and Apollo's `@cacheControl`, whose
 * hints become each response's `Cache-Control` header, which the gateway's response cache reads.
 */
const SUBGRAPH_HEADER = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible", "@tag"])
enum CacheControlScope { PUBLIC PRIVATE }
directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
`;

/** type-graphql builds the schema; @apollo/subgraph adds `_service` and `_entities`. */
export async function buildSubgraph(definition: AnySubgraphDefinition): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: definition.resolvers,
    skipCheck: true,
    validate: false,
    authChecker,
    authMode: "error",
  });
  const typeDefs = parse(`${SUBGRAPH_HEADER}\n${printSchemaWithDirectives(schema)}`);
  const resolvers = createResolversMap(schema) as GraphQLResolverMap<unknown>;
  for (const [typeName, reference] of Object.entries(definition.referenceResolvers)) {
    resolvers[typeName] = { ...(resolvers[typeName] as object), ...(reference as object) } as never;
  }
  return buildSubgraphSchema([{ typeDefs, resolvers }]);
}

export interface RunningSubgraph extends RunningServer {
  /** What the subgraph answers to `_service { sdl }`. */
  sdl: string;
}

export interface SubgraphServerOptions {
  db: Database;
  port: number;
  host?: string;
}

/** Serves a subgraph over HTTP: `/graphql` for the gateway, `/health` for orchestrators. */
export async function startSubgraphServer(
  definition: AnySubgraphDefinition,
  { db, port, host = "127.0.0.1" }: SubgraphServerOptions,
): Promise<RunningSubgraph> {
  const schema = await buildSubgraph(definition);
  const secret = identitySecret();
  const apollo = new ApolloServer<SubgraphContext<unknown>>({
    schema,
    includeStacktraceInErrorResponses: false,
    // One shutdown handler for the whole process closes the database last.
    stopOnTerminationSignals: false,
    formatError: maskInternalErrors,
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      subgraphTracingPlugin(definition.name),
    ],
  });
  await apollo.start();

  const app = express();
  app.disable("x-powered-by");
  app.get("/health", (_req, res) => {
    res.json({ status: "ok", subgraph: definition.name });
  });
  app.use(
    "/graphql",
    express.json({ limit: "1mb" }),
    expressMiddleware(apollo, {
      context: async ({ req }) => ({
        db,
        loaders: definition.createLoaders(db),
        identity: await verifyIdentity(req.get(IDENTITY_HEADER), secret),
      }),
    }),
  );
  const server = await listen(app, port, host);
  const stopBackground = definition.start?.(db);
  return {
    url: `${server.url}/graphql`,
    sdl: printSubgraphSchema(schema),
    close: async () => {
      await stopBackground?.();
      await server.close();
      await apollo.stop();
    },
  };
}
