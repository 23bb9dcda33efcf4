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
import {
  type DocumentNode,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  Kind,
  type ObjectTypeDefinitionNode,
  parse,
  type TypeNode,
  visit,
} from "graphql";
import { buildSchema, type ClassType, createResolversMap, type NonEmptyArray } from "type-graphql";
import { readRequestLimits } from "../gateway/limits/config.js";
import { documentLimits } from "../gateway/limits/document-limits.js";
import {
  graphqlRequestBody,
  jsonErrorHandler,
  notFound,
  sendError,
} from "../gateway/limits/request-body.js";
import { authChecker } from "./authorization.js";
import type { Database } from "./database.js";
import { listen, type RunningServer } from "./http.js";
import {
  IDENTITY_HEADER,
  type Identity,
  identitySecret,
  verifySubgraphCaller,
} from "./identity.js";
import { subgraphTracingPlugin } from "./tracing.js";

/** What every resolver of a subgraph receives: the database, this request's DataLoaders, the caller. */
export interface SubgraphContext<Loaders> {
  db: Database;
  loaders: Loaders;
  /** Verified from the gateway's signed header; anonymous for a service token. */
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
 * The header every subgraph SDL starts with: Federation 2.9 (whose `@cost` and `@listSize` the
 * gateway's cost estimate reads), and Apollo's `@cacheControl`, whose hints become each
 * response's `Cache-Control` header, which the gateway's response cache reads.
 */
const SUBGRAPH_HEADER = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible", "@tag", "@cost", "@listSize"])
enum CacheControlScope { PUBLIC PRIVATE }
directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
`;

/**
 * Every field returning a Relay connection with a `first` argument gets its `@listSize`: the
 * page asked for sizes the connection's `edges` and `nodes`. Done here, once for every subgraph,
 * rather than by a decorator on each such field.
 */
function sizeConnections(typeDefs: DocumentNode): DocumentNode {
  const connections = new Map<string, string[]>();
  for (const definition of typeDefs.definitions)
    if (
      definition.kind === Kind.OBJECT_TYPE_DEFINITION &&
      definition.name.value.endsWith("Connection")
    )
      connections.set(
        definition.name.value,
        (definition.fields ?? [])
          .map((f) => f.name.value)
          .filter((name) => name === "edges" || name === "nodes"),
      );
  const namedType = (type: TypeNode): string =>
    type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type);
  return visit(typeDefs, {
    FieldDefinition(field) {
      const sized = connections.get(namedType(field.type));
      if (!sized?.length || !field.arguments?.some((a) => a.name.value === "first")) return;
      const listSize = parse(
        `type T { f: T @listSize(slicingArguments: ["first"], sizedFields: ${JSON.stringify(sized)}, requireOneSlicingArgument: false) }`,
      ).definitions[0] as ObjectTypeDefinitionNode;
      const directive = listSize.fields![0]!.directives![0]!;
      return { ...field, directives: [...(field.directives ?? []), directive] };
    },
  });
}

/** type-graphql builds the schema; @apollo/subgraph adds `_service` and `_entities`. */
export async function buildSubgraph(definition: AnySubgraphDefinition): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: definition.resolvers,
    skipCheck: true,
    validate: false,
    authChecker,
    authMode: "error",
  });
  const typeDefs = sizeConnections(
    parse(`${SUBGRAPH_HEADER}\n${printSchemaWithDirectives(schema)}`),
  );
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
  /** Loopback unless `SUBGRAPH_HOST` says otherwise: only the hub's gateways call a subgraph. */
  host?: string;
}

/** Where subgraphs listen: apart from the gateway's `HOST`, loopback by default. */
export function subgraphHost(env: NodeJS.ProcessEnv = process.env): string {
  return env.SUBGRAPH_HOST || "127.0.0.1";
}

/**
 * Serves a subgraph over HTTP: `/graphql` for the gateway, `/health` for orchestrators. It
 * answers only calls a gateway of the hub signed (or a service token of the same secret), and
 * applies the gateway's limits on documents itself.
 */
export async function startSubgraphServer(
  definition: AnySubgraphDefinition,
  { db, port, host = subgraphHost() }: SubgraphServerOptions,
): Promise<RunningSubgraph> {
  const schema = await buildSubgraph(definition);
  const secret = identitySecret();
  const limits = documentLimits(readRequestLimits());
  const apollo = new ApolloServer<SubgraphContext<unknown>>({
    schema,
    includeStacktraceInErrorResponses: false,
    // One shutdown handler for the whole process closes the database last.
    stopOnTerminationSignals: false,
    formatError: limits.formatError,
    parseOptions: limits.parseOptions,
    validationRules: limits.validationRules,
    plugins: [
      ...limits.plugins,
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
    async (request, response, next) => {
      const identity = await verifySubgraphCaller(
        request.get(IDENTITY_HEADER),
        request.get("authorization"),
        secret,
      );
      if (!identity)
        return sendError(
          response,
          401,
          "UNAUTHENTICATED",
          "Ce sous-graphe ne répond qu'aux passerelles du hub.",
        );
      response.locals.identity = identity;
      next();
    },
    ...graphqlRequestBody("1mb"),
    expressMiddleware(apollo, {
      context: async ({ res }) => ({
        db,
        loaders: definition.createLoaders(db),
        identity: res.locals.identity as Identity,
      }),
    }),
  );
  app.use(notFound);
  app.use(jsonErrorHandler);
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
