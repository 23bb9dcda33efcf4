import "reflect-metadata";
import { GraphQLDateTime } from "graphql-scalars";
import { Arg, Ctx, Field, Int, ObjectType, Query, Resolver } from "type-graphql";
import type { AdminContext } from "./context.js";

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

/** The supergraphs the registry composed. */
@Resolver()
export class SupergraphResolver {
  @Query(() => [SupergraphRecord], { description: "The supergraphs that went live, newest first." })
  supergraphHistory(
    @Arg("last", () => Int, { defaultValue: 20 }) last: number,
    @Ctx() { registry, identity }: AdminContext,
  ) {
    return registry.history(identity, Math.min(Math.max(last, 1), 100));
  }
}
