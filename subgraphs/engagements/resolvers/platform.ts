import "reflect-metadata";
import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { Context } from "../loaders.js";
import { Engagement, PlatformRef } from "../types.js";

@Resolver(() => PlatformRef)
export class PlatformEngagementsResolver {
  @FieldResolver(() => [Engagement], {
    description: "Engagements of collectivités naming this platform.",
  })
  supportedBy(@Root() platform: PlatformRef, @Ctx() { loaders }: Context) {
    return loaders.engagementsSupporting.load(platform.slug);
  }
}
