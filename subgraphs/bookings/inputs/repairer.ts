import "reflect-metadata";
import { ArgsType, Field, ID } from "type-graphql";
import { PageArgs } from "../../../lib/graphql/connection.js";
import { badUserInput } from "../../../lib/graphql/errors.js";
import { MAX_DAYS } from "../slots.js";

@ArgsType()
export class RepairersArgs extends PageArgs {
  @Field(() => ID, {
    nullable: true,
    description: "Only repairers working on this bike type (`velo-electrique`...).",
  })
  bikeTypeId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: "Only repairers of this type (`reparateur-itinerant`...).",
  })
  repairerTypeId?: string | null;
}

/** How many days of free slots a client may ask for at once. */
export function checkDays(days: number): number {
  if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) {
    throw badUserInput(`« days » doit être compris entre 1 et ${MAX_DAYS} (reçu : ${days}).`, {
      argument: "days",
      maximum: MAX_DAYS,
    });
  }
  return days;
}
