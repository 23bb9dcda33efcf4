import "reflect-metadata";
import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { Context } from "../loaders.js";
import { Collectivite, Engagement, TerritoryRef } from "../types.js";

@Resolver(() => TerritoryRef)
export class TerritoryEngagementsResolver {
  @FieldResolver(() => [Collectivite], {
    description: "Collectivités whose territory is this one or contains it.",
  })
  collectivites(@Root() territory: TerritoryRef, @Ctx() { loaders }: Context) {
    return loaders.collectivitesCovering.load(territory.id);
  }

  @FieldResolver(() => [Engagement], {
    description: "Engagements of those collectivités: the MEL's appear on Lomme's page.",
  })
  engagements(@Root() territory: TerritoryRef, @Ctx() { loaders }: Context) {
    return loaders.engagementsCovering.load(territory.id);
  }
}
