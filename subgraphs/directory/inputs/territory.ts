import "reflect-metadata";
import { ArgsType, Field } from "type-graphql";
import { PageArgs } from "../../../lib/graphql/connection.js";
import { badUserInput } from "../../../lib/graphql/errors.js";
import { TerritoryKind } from "../types.js";

/** The largest EPCI has 158 communes: a page of members can always hold a whole EPCI. */
export const MAX_MEMBERS_PAGE_SIZE = 500;

@ArgsType()
export class TerritoriesArgs extends PageArgs {
  @Field(() => String, {
    nullable: true,
    description: "Part of the name; case, accents and hyphens do not matter.",
  })
  search?: string | null;

  @Field(() => TerritoryKind, { nullable: true })
  kind?: TerritoryKind | null;

  @Field(() => String, {
    nullable: true,
    description: "A postal code (5 digits); it may match several communes.",
  })
  postalCode?: string | null;
}

/** Five characters, digits but for Corsica's `2A`/`2B`. */
export function checkPostalCode(postalCode: string): string {
  if (!/^\d[\dAB]\d{3}$/.test(postalCode))
    throw badUserInput("Code postal invalide (5 chiffres attendus).", { argument: "postalCode" });
  return postalCode;
}
