import "reflect-metadata";
import { ArgsType, Field, ID } from "type-graphql";
import { PageArgs } from "../../../lib/graphql/connection.js";
import { ProductType } from "../types.js";

@ArgsType()
export class ProductsArgs extends PageArgs {
  @Field(() => ProductType, { nullable: true })
  type?: ProductType | null;

  @Field(() => ID, { nullable: true, description: "A category id, e.g. `velos-accessoires`." })
  categorySlug?: string | null;
}

@ArgsType()
export class CatalogueArgs extends ProductsArgs {
  @Field(() => ID, { nullable: true })
  instanceSlug?: string | null;
}
