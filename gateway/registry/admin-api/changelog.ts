import "reflect-metadata";
import { GraphQLDateTime } from "graphql-scalars";
import { Arg, Ctx, Field, Int, ObjectType, Query, Resolver } from "type-graphql";
import type { AdminContext } from "./context.js";
import { SchemaChange } from "./types.js";

@ObjectType({ description: "A supergraph that went live, and what clients saw change." })
class SchemaChangelogEntry {
  @Field(() => Int, { description: "The supergraph's id, which gateways follow." })
  revision!: number;
  @Field(() => GraphQLDateTime)
  publishedAt!: Date;
  @Field(() => String, { nullable: true, description: "The partner that made it, or admin." })
  publisher!: string | null;
  @Field(() => String, { description: "The subgraph published, rolled back or removed." })
  subgraph!: string;
  @Field(() => Int, {
    nullable: true,
    description: "The version it served; null for a removal.",
  })
  version!: number | null;
  @Field(() => [SchemaChange])
  changes!: SchemaChange[];
}

/** The changelog of the public schema: a partner sees its own subgraphs', an admin all. */
@Resolver()
export class ChangelogResolver {
  @Query(() => [SchemaChangelogEntry], {
    description: "The supergraphs that went live, newest first, with their changes.",
  })
  schemaChangelog(
    @Arg("last", () => Int, { defaultValue: 20 }) last: number,
    @Ctx() { registry, identity }: AdminContext,
  ) {
    return registry.changelog(identity, Math.min(Math.max(last, 1), 100));
  }
}
