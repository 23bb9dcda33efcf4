import "reflect-metadata";
import { GraphQLDateTime } from "graphql-scalars";
import {
  Arg,
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
import type { AdminContext } from "./context.js";
import { SchemaChange } from "./types.js";

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
  @Field(() => Boolean, {
    description:
      "An identical re-publication (same SDL, URL and deadline): no new version, no new supergraph.",
  })
  unchanged!: boolean;
}

@ObjectType({ description: "An error of composition, as @apollo/composition reports it." })
class CompositionError {
  @Field(() => String)
  code!: string;
  @Field(() => String)
  message!: string;
  @Field(() => [String], { description: "The subgraphs it involves." })
  subgraphs!: string[];
}

@ObjectType({ description: "An operation clients sent that the change would break." })
class AffectedOperation {
  @Field(() => String, { description: "Its signature: a hash of its name and text." })
  hash!: string;
  @Field(() => String, { nullable: true })
  name!: string | null;
  @Field(() => String, { nullable: true, description: "The client that sent it, when known." })
  clientName!: string | null;
  @Field(() => String, { nullable: true })
  clientVersion!: string | null;
  @Field(() => [String], { description: "The coordinates it reads that the change breaks." })
  coordinates!: string[];
}

@ObjectType({
  description: "What a publication would answer, checked without storing anything.",
})
class SubgraphCheck {
  @Field(() => Boolean)
  accepted!: boolean;
  @Field(() => String, {
    nullable: true,
    description: "The code a publication would be refused with; null when accepted.",
  })
  code!: string | null;
  @Field(() => String, { nullable: true })
  message!: string | null;
  @Field(() => [CompositionError])
  compositionErrors!: CompositionError[];
  @Field(() => [SchemaChange], {
    description: "What clients would see change (the breaking ones only when refused for them).",
  })
  changes!: SchemaChange[];
  @Field(() => [AffectedOperation])
  affectedOperations!: AffectedOperation[];
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
  @Field(() => String, { description: "The key or token that published it (`key:ID`)." })
  publishedBy!: string;
  @Field(() => String, {
    nullable: true,
    description: "The partner that published it, or admin.",
  })
  publisher!: string | null;
  @Field(() => GraphQLDateTime)
  publishedAt!: Date;
  @Field(() => Boolean, { description: "The version served now." })
  live!: boolean;
}

/** Authorization is the registry's: a partner acts on its own subgraphs, an admin on all of them. */
@Resolver()
export class SubgraphResolver {
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

  @Query(() => SubgraphCheck, {
    description:
      "Runs every check a publication runs (composition, protection, schema policy, breaking changes against the operations of the last REGISTRY_USAGE_DAYS) and stores nothing.",
  })
  checkSubgraph(
    @Arg("name", () => String) name: string,
    @Arg("url", () => String, { nullable: true }) url: string | null,
    @Arg("sdl", () => String, {
      nullable: true,
      description: "The SDL to check; fetched from `_service { sdl }` at the URL when not given.",
    })
    sdl: string | null,
    @Ctx() { registry, identity }: AdminContext,
  ) {
    return registry.check(identity, { name, url, sdl });
  }

  @Mutation(() => PublishResult, {
    description:
      "Publishes a version: the SDL given, or fetched from `_service { sdl }` at the URL. Refused with COMPOSITION_FAILED or BREAKING_CHANGE. An identical re-publication changes nothing (`unchanged`).",
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
}
