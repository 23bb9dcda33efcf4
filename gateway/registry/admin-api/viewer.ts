import "reflect-metadata";
import { Ctx, Field, ObjectType, Query, Resolver } from "type-graphql";
import { userError } from "../../../lib/graphql/errors.js";
import type { AdminContext } from "./context.js";

@ObjectType({ description: "Who the token given is, for the console." })
class AdminViewer {
  @Field(() => String, { description: "admin or partner (any other role is refused)." })
  role!: string;
  @Field(() => String, { nullable: true, description: "The partner it acts for." })
  partner!: string | null;
}

@Resolver()
export class ViewerResolver {
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
