import "reflect-metadata";
import {
  Arg,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Mutation,
  Query,
  Resolver,
  Root,
} from "type-graphql";
import { actsFor } from "../../../lib/authorization.js";
import { notFound, userError } from "../../../lib/graphql/errors.js";
import { checkEngagementInput, EngagementInput } from "../inputs/engagement.js";
import type { Context } from "../loaders.js";
import {
  Collectivite,
  Engagement,
  EngagementChange,
  type EngagementRow,
  EngagementStatus,
  PlatformRef,
} from "../types.js";
import { changeEngagementStatus, recordEngagement } from "../writes.js";

@Resolver(() => Engagement)
export class EngagementResolver {
  @Query(() => Engagement, { nullable: true })
  engagement(@Arg("id", () => ID) id: string, @Ctx() { loaders }: Context) {
    return loaders.engagement.load(id);
  }

  @FieldResolver(() => Collectivite)
  collectivite(@Root() engagement: EngagementRow, @Ctx() { loaders }: Context) {
    return loaders.collectivite.load(engagement.collectiviteId);
  }

  @FieldResolver(() => [PlatformRef], { description: "The directory's platforms it is about." })
  platforms(@Root() engagement: EngagementRow, @Ctx() { loaders }: Context) {
    return loaders.platformsOf.load(engagement.id);
  }

  @FieldResolver(() => [EngagementChange], {
    description: "Audit trail: who changed what, and when, oldest first.",
  })
  history(@Root() engagement: EngagementRow, @Ctx() { loaders }: Context) {
    return loaders.changesOf.load(engagement.id);
  }

  @Authorized("collectivite_agent")
  @Mutation(() => Engagement, {
    description: "Records an engagement of the collectivité the caller is an agent of.",
  })
  async recordEngagement(
    @Arg("input", () => EngagementInput) input: EngagementInput,
    @Ctx() { db, loaders, identity }: Context,
  ): Promise<EngagementRow> {
    const checked = checkEngagementInput(input);
    if (!(await loaders.collectivite.load(input.collectiviteId)))
      throw notFound(`Collectivité inconnue : « ${input.collectiviteId} ».`);
    if (!actsFor(identity, "collectivite", input.collectiviteId))
      throw userError("FORBIDDEN", "Un agent n'engage que sa propre collectivité.");
    return recordEngagement(db, checked, identity);
  }

  @Authorized("collectivite_agent")
  @Mutation(() => Engagement, {
    description:
      "Moves an engagement of the caller's collectivité to another status, recorded in its audit trail.",
  })
  changeEngagementStatus(
    @Arg("engagementId", () => ID) engagementId: string,
    @Arg("status", () => EngagementStatus) status: EngagementStatus,
    @Arg("comment", () => String, { nullable: true }) comment: string | null,
    @Ctx() { db, identity }: Context,
  ): Promise<EngagementRow> {
    return changeEngagementStatus(db, engagementId, status, comment, identity);
  }
}
