import "reflect-metadata";
import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { Fact } from "../../../lib/facts/fact.js";
import type { FactRow } from "../../../lib/facts/table.js";
import type { Context } from "../loaders.js";
import { Organization, type OrganizationRow } from "../types.js";

@Resolver(() => Organization)
export class OrganizationResolver {
  @FieldResolver(() => [Fact], { description: "Where its legal form and SIREN come from." })
  facts(@Root() organization: OrganizationRow, @Ctx() { loaders }: Context): Promise<FactRow[]> {
    return loaders.factsOfOrganization.load(organization.id);
  }
}
