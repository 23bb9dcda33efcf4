import "reflect-metadata";
import type { GraphQLResolveInfo } from "graphql";
import { Args, Ctx, FieldResolver, Info, Int, Resolver, Root } from "type-graphql";
import { parsePage } from "../../../lib/graphql/connection.js";
import { childSelections } from "../../../lib/graphql/lookahead.js";
import { parisDate } from "../../../lib/time.js";
import { RepairersArgs } from "../inputs/repairer.js";
import type { Context } from "../loaders.js";
import { bookingWindow, NEXT_SLOT_DAYS } from "../slots.js";
import { RepairerConnection, TerritoryRef } from "../types.js";

@Resolver(() => TerritoryRef)
export class TerritoryRepairersResolver {
  @FieldResolver(() => RepairerConnection, {
    description:
      "Enabled repairers in this territory or a territory it contains, plus itinerant repairers serving a commune there, by name.",
  })
  repairers(
    @Root() territory: TerritoryRef,
    @Args(() => RepairersArgs) args: RepairersArgs,
    @Ctx() { loaders }: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    const asks = (...fields: string[]) =>
      fields.some(
        (field) =>
          childSelections(info, "nodes", field).length +
            childSelections(info, "edges", "node", field).length >
          0,
      );
    return loaders.repairersServing.load({
      owner: territory.id,
      page: parsePage(args),
      filters: {
        bikeTypeId: args.bikeTypeId ?? null,
        repairerTypeId: args.repairerTypeId ?? null,
        schedule: asks("nextAvailableSlot", "availableSlots", "openingHours", "closures"),
        // Territory pages show each repairer's next free slot: its bookings come in the page's statement.
        bookedBetween: asks("nextAvailableSlot")
          ? bookingWindow(parisDate(new Date()), NEXT_SLOT_DAYS)
          : null,
      },
    });
  }

  @FieldResolver(() => Int, {
    description: "How many repairers `repairers` lists without filters.",
  })
  repairerCount(@Root() territory: TerritoryRef, @Ctx() { loaders }: Context) {
    return loaders.repairerCount.load(territory.id);
  }
}
