import "reflect-metadata";
import { Field, ObjectType } from "type-graphql";

/** Object types more than one resolver class returns. */
@ObjectType({
  description: "A difference clients would see, classified by @graphql-inspector/core.",
})
export class SchemaChange {
  @Field(() => String, { description: "BREAKING, DANGEROUS or SAFE." })
  criticality!: string;
  @Field(() => String)
  type!: string;
  @Field(() => String)
  message!: string;
  @Field(() => String, { nullable: true })
  path!: string | null;
}
