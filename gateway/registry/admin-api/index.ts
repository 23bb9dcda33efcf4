import "reflect-metadata";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { expressMiddleware } from "@as-integrations/express5";
import type { RequestHandler } from "express";
import { buildSchema, type ClassType, type NonEmptyArray } from "type-graphql";
import { authChecker } from "../../../lib/authorization.js";
import { maskInternalErrors, userError } from "../../../lib/graphql/errors.js";
import type { Identity } from "../../../lib/identity.js";
import { jsonBody } from "../../limits/request-body.js";
import type { Registry } from "../registry.js";
import { AppResolver } from "./apps.js";
import { ChangelogResolver } from "./changelog.js";
import type { AdminContext } from "./context.js";
import { ApiKeyResolver } from "./keys.js";
import { PartnerResolver } from "./partners.js";
import { SubgraphResolver } from "./subgraphs.js";
import { SupergraphResolver } from "./supergraphs.js";
import { UsageResolver } from "./usage.js";
import { ViewerResolver } from "./viewer.js";

/** One resolver class per entity, each in its own module of this folder. */
const RESOLVERS: NonEmptyArray<ClassType> = [
  SubgraphResolver,
  PartnerResolver,
  SupergraphResolver,
  ViewerResolver,
  AppResolver,
  UsageResolver,
  ChangelogResolver,
  ApiKeyResolver,
];

/**
 * The registry's GraphQL API, served apart from the public graph (`/admin/graphql`): never
 * composed into the supergraph, and every operation requires a partner or admin token.
 */
export async function adminApi(
  registry: Registry,
  authenticate: (authorization: string | undefined) => Promise<Identity>,
): Promise<{ handler: RequestHandler[]; stop(): Promise<void> }> {
  // The auth checker is the subgraphs' (type-graphql's metadata is global); the registry authorizes each change itself.
  const schema = await buildSchema({ resolvers: RESOLVERS, validate: false, authChecker });
  const apollo = new ApolloServer<AdminContext>({
    schema,
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false,
    formatError: maskInternalErrors,
    plugins: [ApolloServerPluginLandingPageDisabled()],
  });
  await apollo.start();
  return {
    handler: [
      ...jsonBody("2mb"),
      expressMiddleware(apollo, {
        context: async ({ req }) => {
          const identity = await authenticate(req.get("authorization"));
          if (identity.role === "anonymous")
            throw userError(
              "UNAUTHENTICATED",
              "Le registre demande un jeton de partenaire ou d'administration.",
              { http: { status: 401 } },
            );
          return { identity, registry };
        },
      }),
    ],
    stop: () => apollo.stop(),
  };
}
