import "reflect-metadata";
import { GraphQLDateTime } from "graphql-scalars";
import { Arg, Ctx, Field, ID, Mutation, ObjectType, Query, Resolver } from "type-graphql";
import type { AdminContext } from "./context.js";

@ObjectType({ description: "An API key, without its secret." })
class ApiKey {
  @Field(() => ID)
  id!: string;
  @Field(() => String)
  name!: string;
  @Field(() => String)
  role!: string;
  @Field(() => String, {
    nullable: true,
    description: "What it acts for, as KIND:ID (partner:covoit-coop).",
  })
  actsFor!: string | null;
  @Field(() => GraphQLDateTime)
  createdAt!: Date;
  @Field(() => GraphQLDateTime, { nullable: true })
  revokedAt!: Date | null;
  @Field(() => String, { nullable: true, description: "The key itself, shown once, when created." })
  key?: string;
}

/**
 * The API keys, the administration's alone: what `hub key` does straight in the database, through
 * a running hub (the embedded database serves one process, the hub's).
 */
@Resolver()
export class ApiKeyResolver {
  @Query(() => [ApiKey], { description: "The keys issued, without their secrets." })
  apiKeys(@Ctx() { registry, identity }: AdminContext) {
    return registry.listKeys(identity);
  }

  @Mutation(() => ApiKey, { description: "Issues an API key and returns it, shown once." })
  createApiKey(
    @Arg("name", () => String) name: string,
    @Arg("role", () => String) role: string,
    @Arg("actsFor", () => String, { nullable: true, description: "KIND:ID" })
    actsFor: string | null,
    @Ctx() { registry, identity }: AdminContext,
  ) {
    return registry.createKey(identity, { name, role, actsFor });
  }

  @Mutation(() => Boolean, {
    description: "Revokes a key at once; false if no active key has this id.",
  })
  revokeApiKey(@Arg("id", () => ID) id: string, @Ctx() { registry, identity }: AdminContext) {
    return registry.revokeKey(identity, id);
  }
}
