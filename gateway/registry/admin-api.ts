import "reflect-metadata";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { expressMiddleware } from "@as-integrations/express5";
import express, { type RequestHandler } from "express";
import { GraphQLDateTime } from "graphql-scalars";
import {
  Arg,
  buildSchema,
  Ctx,
  Field,
  ID,
  Int,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  registerEnumType,
} from "type-graphql";
import { authChecker } from "../../lib/authorization.js";
import { maskInternalErrors, userError } from "../../lib/graphql/errors.js";
import type { Identity } from "../../lib/identity.js";
import type { Registry } from "./registry.js";

interface AdminContext {
  identity: Identity;
  registry: Registry;
}

enum Health {
  HEALTHY = "HEALTHY",
  UNHEALTHY = "UNHEALTHY",
}
registerEnumType(Health, {
  name: "SubgraphHealth",
  description: "Whether the subgraph answered a probe just now.",
});

enum CircuitState {
  CLOSED = "CLOSED",
  OPEN = "OPEN",
  HALF_OPEN = "HALF_OPEN",
}
registerEnumType(CircuitState, {
  name: "CircuitState",
  description:
    "A subgraph's circuit breaker in the gateway process that answers: OPEN while it answers its fields at once with SUBGRAPH_CIRCUIT_OPEN, HALF_OPEN while one probe call goes through.",
});

@ObjectType({
  description: "A difference clients would see, classified by @graphql-inspector/core.",
})
class SchemaChange {
  @Field(() => String, { description: "BREAKING, DANGEROUS or SAFE." })
  criticality!: string;
  @Field(() => String)
  type!: string;
  @Field(() => String)
  message!: string;
  @Field(() => String, { nullable: true })
  path!: string | null;
}

@ObjectType({ description: "A change that went live." })
class PublishResult {
  @Field(() => String)
  subgraph!: string;
  @Field(() => Int, { nullable: true, description: "The version now served; null once removed." })
  version!: number | null;
  @Field(() => Int, {
    description: "The supergraph now served, which every gateway follows within a second.",
  })
  revision!: number;
  @Field(() => [SchemaChange])
  changes!: SchemaChange[];
}

@ObjectType("RegistrySubgraph")
class RegistrySubgraph {
  @Field(() => ID)
  name!: string;
  @Field(() => String, {
    nullable: true,
    description: "The partner owning it; null when the administration published it.",
  })
  owner!: string | null;
  @Field(() => String, { description: "active or removed." })
  status!: string;
  @Field(() => String, { nullable: true })
  routingUrl!: string | null;
  @Field(() => Int, { nullable: true })
  version!: number | null;
  @Field(() => String, { nullable: true })
  publishedBy!: string | null;
  @Field(() => GraphQLDateTime, { nullable: true })
  publishedAt!: Date | null;
  @Field(() => Health, { nullable: true, description: "Null when removed." })
  health!: Health | null;
  @Field(() => CircuitState)
  breaker!: CircuitState;
  @Field(() => Int, { description: "The deadline of each call to it, in milliseconds." })
  timeoutMs!: number;
  @Field(() => Boolean, {
    description:
      "One of the hub's own subgraphs: served by every gateway, nobody publishes over it.",
  })
  builtIn!: boolean;
}

@ObjectType()
class SubgraphVersion {
  @Field(() => Int)
  version!: number;
  @Field(() => String)
  routingUrl!: string;
  @Field(() => String)
  sdl!: string;
  @Field(() => String)
  publishedBy!: string;
  @Field(() => GraphQLDateTime)
  publishedAt!: Date;
}

@ObjectType()
class Partner {
  @Field(() => ID)
  id!: string;
  @Field(() => String)
  name!: string;
  @Field(() => String, {
    nullable: true,
    description: "Its token, shown once, when it is created.",
  })
  token?: string;
}

@ObjectType({ description: "A supergraph that went live." })
class SupergraphRecord {
  @Field(() => Int)
  id!: number;
  @Field(() => String)
  action!: string;
  @Field(() => String)
  createdBy!: string;
  @Field(() => GraphQLDateTime)
  createdAt!: Date;
}

@ObjectType({ description: "Who the token given is, for the console." })
class AdminViewer {
  @Field(() => String, { description: "admin or partner (any other role is refused)." })
  role!: string;
  @Field(() => String, { nullable: true, description: "The partner it acts for." })
  partner!: string | null;
}

@Resolver()
class ViewerResolver {
  @Query(() => AdminViewer, { description: "Who the token given is." })
  viewer(@Ctx() { identity }: AdminContext): AdminViewer {
    if (identity.role !== "admin" && identity.role !== "partner")
      throw userError(
        "FORBIDDEN",
        "Le registre demande un jeton de partenaire ou d'administration.",
      );
    return {
      role: identity.role,
      partner: identity.actsFor?.kind === "partner" ? identity.actsFor.id : null,
    };
  }
}

/** Authorization is the registry's: a partner acts on its own subgraphs, an admin on all of them. */
@Resolver()
class RegistryResolver {
  @Query(() => [RegistrySubgraph], {
    description: "The registry's subgraphs (a partner's own), probed now.",
  })
  subgraphs(
    @Arg("includeHub", () => Boolean, {
      defaultValue: false,
      description: "The hub's own subgraphs too, first.",
    })
    includeHub: boolean,
    @Ctx() { registry, identity }: AdminContext,
  ) {
    return registry.list(identity, { includeHub });
  }

  @Query(() => [SubgraphVersion], { description: "Every version of a subgraph, newest first." })
  subgraphVersions(
    @Arg("name", () => String) name: string,
    @Ctx() { registry, identity }: AdminContext,
  ) {
    return registry.versions(identity, name);
  }

  @Query(() => [Partner])
  partners(@Ctx() { registry, identity }: AdminContext) {
    return registry.listPartners(identity);
  }

  @Query(() => [SupergraphRecord], { description: "The supergraphs that went live, newest first." })
  supergraphHistory(
    @Arg("last", () => Int, { defaultValue: 20 }) last: number,
    @Ctx() { registry, identity }: AdminContext,
  ) {
    return registry.history(identity, Math.min(Math.max(last, 1), 100));
  }

  @Mutation(() => PublishResult, {
    description:
      "Publishes a version: the SDL given, or fetched from `_service { sdl }` at the URL. Refused with COMPOSITION_FAILED or BREAKING_CHANGE.",
  })
  publishSubgraph(
    @Arg("name", () => String) name: string,
    @Arg("url", () => String) url: string,
    @Arg("sdl", () => String, { nullable: true }) sdl: string | null,
    @Arg("force", () => Boolean, {
      defaultValue: false,
      description: "Publish a breaking change even if clients use what it breaks.",
    })
    force: boolean,
    @Arg("timeoutMs", () => Int, {
      nullable: true,
      description:
        "The deadline of each call to it, in milliseconds: a partner may lower PARTNER_TIMEOUT_MS, an admin sets any. Kept when not given.",
    })
    timeoutMs: number | null,
    @Ctx() { registry, identity }: AdminContext,
  ) {
    return registry.publish(identity, { name, url, sdl, force, timeoutMs });
  }

  @Mutation(() => PublishResult, {
    description: "Serves an earlier version again, after the same checks.",
  })
  rollbackSubgraph(
    @Arg("name", () => String) name: string,
    @Arg("version", () => Int) version: number,
    @Arg("force", () => Boolean, { defaultValue: false }) force: boolean,
    @Ctx() { registry, identity }: AdminContext,
  ) {
    return registry.rollback(identity, { name, version, force });
  }

  @Mutation(() => PublishResult, {
    description: "Takes a subgraph out of the supergraph, after the same checks.",
  })
  removeSubgraph(
    @Arg("name", () => String) name: string,
    @Arg("force", () => Boolean, { defaultValue: false }) force: boolean,
    @Ctx() { registry, identity }: AdminContext,
  ) {
    return registry.remove(identity, { name, force });
  }

  @Mutation(() => Partner, {
    description: "Registers a partner and returns its token, shown once.",
  })
  createPartner(
    @Arg("id", () => ID) id: string,
    @Arg("name", () => String) name: string,
    @Ctx() { registry, identity }: AdminContext,
  ) {
    return registry.createPartner(identity, { id, name });
  }
}

/**
 * The registry's GraphQL API, served apart from the public graph (`/admin/graphql`): never
 * composed into the supergraph, and every operation requires a partner or admin token.
 */
export async function adminApi(
  registry: Registry,
  authenticate: (authorization: string | undefined) => Promise<Identity>,
): Promise<{ handler: RequestHandler[]; stop(): Promise<void> }> {
  // The auth checker is the subgraphs' (type-graphql's metadata is global); the registry authorizes each change itself.
  const schema = await buildSchema({
    resolvers: [RegistryResolver, ViewerResolver],
    validate: false,
    authChecker,
  });
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
      express.json({ limit: "2mb" }),
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
