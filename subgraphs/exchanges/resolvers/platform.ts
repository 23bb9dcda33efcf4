import "reflect-metadata";
import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { Context } from "../loaders.js";
import { ExchangeInstance, PlatformRef } from "../types.js";

@Resolver(() => PlatformRef)
export class PlatformExchangesResolver {
  @FieldResolver(() => ExchangeInstance, {
    nullable: true,
    description: "The EBS instance listed as this platform.",
  })
  exchangeInstance(@Root() platform: PlatformRef, @Ctx() { loaders }: Context) {
    return loaders.instanceOfPlatform.load(platform.slug);
  }
}
