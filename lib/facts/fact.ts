import "reflect-metadata";
import { GraphQLLocalDate } from "graphql-scalars";
import { Directive, Field, ObjectType } from "type-graphql";
import { CacheLikeParent } from "../graphql/cache.js";

/** A record's public fact, the same type in every subgraph that keeps facts. */
@ObjectType({
  description:
    "A public fact about a record, with the page that states it: what a portal cites and an analyst checks. A field with no sourced fact is null on its record.",
})
@Directive("@shareable")
@CacheLikeParent()
export class Fact {
  @Field(() => String, {
    description: "The record's field it gives: `url`, `legalForm`, `licence`…",
  })
  field!: string;

  @Field(() => String, {
    description: "Its value as text; a list of territories reads `DEP:59, DEP:62`.",
  })
  value!: string;

  @Field(() => String, { description: "The public page that states it." })
  sourceUrl!: string;

  @Field(() => GraphQLLocalDate, { description: "The day that page was read." })
  retrievedOn!: string;

  @Field(() => String, {
    nullable: true,
    description: "For a reviewer: the page's words, a disagreement between sources.",
  })
  note!: string | null;
}
