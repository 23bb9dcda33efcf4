import "reflect-metadata";
import { Arg, Ctx, Field, ID, Mutation, ObjectType, Query, Resolver } from "type-graphql";
import type { AdminContext } from "./context.js";

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

/** The registry's partners: the administration's alone. */
@Resolver()
export class PartnerResolver {
  @Query(() => [Partner])
  partners(@Ctx() { registry, identity }: AdminContext) {
    return registry.listPartners(identity);
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
