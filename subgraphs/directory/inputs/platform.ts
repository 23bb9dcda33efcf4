import "reflect-metadata";
import { ArgsType, Field, ID } from "type-graphql";
import { PageArgs } from "../../../lib/graphql/connection.js";

@ArgsType()
export class PlatformsArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: "A theme slug, e.g. `reparer`." })
  theme?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: "Only platforms serving this territory (or a territory containing it).",
  })
  territoryId?: string | null;

  @Field(() => String, { nullable: true })
  search?: string | null;
}
