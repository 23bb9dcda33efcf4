import "reflect-metadata";
import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { Fact } from "../../../lib/facts/fact.js";
import type { FactRow } from "../../../lib/facts/table.js";
import type { Context } from "../loaders.js";
import { Platform, type PlatformRow, Software, type SoftwareRow } from "../types.js";

@Resolver(() => Software)
export class SoftwareResolver {
  @FieldResolver(() => [Platform], { description: "The platforms of the directory that run it." })
  platforms(@Root() software: SoftwareRow, @Ctx() { loaders }: Context): Promise<PlatformRow[]> {
    return loaders.platformsRunning.load(software.slug);
  }

  @FieldResolver(() => [Fact], { description: "Where its licence and repository come from." })
  facts(@Root() software: SoftwareRow, @Ctx() { loaders }: Context): Promise<FactRow[]> {
    return loaders.factsOfSoftware.load(software.slug);
  }
}
