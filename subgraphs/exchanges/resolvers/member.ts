import "reflect-metadata";
import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import { actsFor } from "../../../lib/authorization.js";
import { CACHE_SECONDS, CacheFor } from "../../../lib/graphql/cache.js";
import { checkTerritoryId } from "../../../lib/graphql/territory-id.js";
import type { Context } from "../loaders.js";
import {
  ExchangeInstance,
  ExchangeMember,
  MemberContact,
  MemberKind,
  type MemberRow,
  OpeningPeriod,
  PlaceAddress,
  TerritoryRef,
} from "../types.js";

@Resolver(() => ExchangeMember)
export class ExchangeMemberResolver {
  @CacheFor(CACHE_SECONDS.catalogue)
  @Query(() => [ExchangeMember], {
    description:
      "Partner places (objetothèques...) in a territory and the territories it contains.",
  })
  places(@Arg("territoryId", () => ID) territoryId: string, @Ctx() { loaders }: Context) {
    return loaders.placesWithin.load(checkTerritoryId(territoryId, "territoryId"));
  }

  @FieldResolver(() => ExchangeInstance)
  instance(@Root() member: MemberRow, @Ctx() { loaders }: Context) {
    return loaders.instance.load(member.instanceSlug);
  }

  @FieldResolver(() => PlaceAddress, {
    nullable: true,
    description: "A place's public address; always null for a person.",
  })
  address(@Root() member: MemberRow): PlaceAddress | null {
    return member.kind === MemberKind.PLACE
      ? { street: member.street, postalCode: member.postalCode, locality: member.locality }
      : null;
  }

  @FieldResolver(() => [OpeningPeriod], {
    description: "A place's weekly opening schedule; empty for a person.",
  })
  openingSchedule(@Root() member: MemberRow): OpeningPeriod[] {
    return member.kind === MemberKind.PLACE ? (member.schedule ?? []) : [];
  }

  @FieldResolver(() => TerritoryRef, {
    nullable: true,
    description: "The commune of a place; null for a person.",
  })
  territory(@Root() member: MemberRow): TerritoryRef | null {
    return member.kind === MemberKind.PLACE ? { id: member.territoryId } : null;
  }

  @FieldResolver(() => MemberContact, {
    nullable: true,
    description:
      "The member's e-mail and phone, for the member itself and admins; null for anyone else.",
  })
  contact(@Root() member: MemberRow, @Ctx() { identity }: Context): MemberContact | null {
    return actsFor(identity, "member", member.id)
      ? { email: member.email, phone: member.phone }
      : null;
  }
}
