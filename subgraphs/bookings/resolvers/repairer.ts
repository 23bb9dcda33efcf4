import "reflect-metadata";
import { GraphQLLocalDate } from "graphql-scalars";
import { Arg, Ctx, Directive, FieldResolver, ID, Int, Query, Resolver, Root } from "type-graphql";
import { CACHE_SECONDS, CacheFor } from "../../../lib/graphql/cache.js";
import { badUserInput } from "../../../lib/graphql/errors.js";
import { parisDate } from "../../../lib/time.js";
import { checkDays } from "../inputs/repairer.js";
import type { BookingsLoaders, Context } from "../loaders.js";
import {
  availableSlots,
  bookingWindow,
  type DaySlots,
  firstAvailableSlot,
  MAX_DAYS,
  NEXT_SLOT_DAYS,
  type Schedule,
} from "../slots.js";
import {
  BikeType,
  PlatformRef,
  Repairer,
  RepairerAddress,
  RepairerClosure,
  RepairerDaySlots,
  RepairerIntervention,
  RepairerOpeningHours,
  type RepairerRow,
  RepairerType,
  TerritoryRef,
  WEEKDAYS,
} from "../types.js";
import { RUSTINE_LIBRE } from "./platform.js";

/** Availability changes with every booking: never cached. */
const NotCached = () => Directive("@cacheControl(maxAge: 0)");

async function scheduleOf(repairer: RepairerRow, loaders: BookingsLoaders): Promise<Schedule> {
  const [hours, closed] = await Promise.all([
    loaders.openingHoursOf.load(repairer.id),
    loaders.closuresOf.load(repairer.id),
  ]);
  return {
    slotDurationMinutes: repairer.slotDurationMinutes,
    parallelSlots: repairer.parallelSlots,
    openingHours: hours,
    closures: closed,
  };
}

/** Free slots are computed from these two, read through the request's loaders. */
function scheduleAndBookings(
  repairer: RepairerRow,
  loaders: BookingsLoaders,
  from: string,
  days: number,
) {
  return Promise.all([
    scheduleOf(repairer, loaders),
    loaders.booked.load({ repairerId: repairer.id, ...bookingWindow(from, days) }),
  ]);
}

@Resolver(() => Repairer)
export class RepairerResolver {
  @Query(() => Repairer, {
    nullable: true,
    description:
      "An enabled repairer by id or slug; null when unknown, disabled or withdrawn from Rustine Libre.",
  })
  repairer(
    @Arg("id", () => ID, { nullable: true }) id: string | null,
    @Arg("slug", () => String, { nullable: true }) slug: string | null,
    @Ctx() { loaders }: Context,
  ): Promise<RepairerRow | null> {
    // An argument left out arrives as undefined, one given as null as null.
    if ((id == null) === (slug == null))
      throw badUserInput("Donner soit « id », soit « slug ».", { argument: "id" });
    return id != null ? loaders.repairer.load(id) : loaders.repairerBySlug.load(slug!);
  }

  @FieldResolver(() => [RepairerType])
  repairerTypes(@Root() repairer: RepairerRow, @Ctx() { loaders }: Context) {
    return loaders.repairerTypesOf.load(repairer.id);
  }

  @FieldResolver(() => [BikeType], { description: "Bike types it works on." })
  bikeTypes(@Root() repairer: RepairerRow, @Ctx() { loaders }: Context) {
    return loaders.bikeTypesOf.load(repairer.id);
  }

  @FieldResolver(() => RepairerAddress)
  address(@Root() repairer: RepairerRow): RepairerAddress {
    return { street: repairer.street, postcode: repairer.postcode, city: repairer.city };
  }

  @FieldResolver(() => TerritoryRef, { description: "The commune it is in (from the directory)." })
  territory(@Root() repairer: RepairerRow): TerritoryRef {
    return { id: repairer.territoryId };
  }

  @FieldResolver(() => PlatformRef, {
    description: "The platform it is booked on (the directory's `rustine-libre`).",
  })
  platform(): PlatformRef {
    return { slug: RUSTINE_LIBRE };
  }

  @FieldResolver(() => [TerritoryRef], {
    description: "Communes an itinerant repairer travels to.",
  })
  citiesServed(@Root() repairer: RepairerRow, @Ctx() { loaders }: Context) {
    return loaders.citiesOf.load(repairer.id);
  }

  @FieldResolver(() => [RepairerOpeningHours], {
    description: "Weekly opening hours, Monday first.",
  })
  async openingHours(
    @Root() repairer: RepairerRow,
    @Ctx() { loaders }: Context,
  ): Promise<RepairerOpeningHours[]> {
    return (await loaders.openingHoursOf.load(repairer.id)).map((h) => ({
      day: WEEKDAYS[h.weekday - 1]!,
      startTime: h.startTime,
      endTime: h.endTime,
    }));
  }

  @FieldResolver(() => [RepairerClosure], { description: "Exceptional closures." })
  closures(@Root() repairer: RepairerRow, @Ctx() { loaders }: Context) {
    return loaders.closuresOf.load(repairer.id);
  }

  @FieldResolver(() => [RepairerIntervention], {
    description: "Priced interventions, cheapest first.",
  })
  async interventions(
    @Root() repairer: RepairerRow,
    @Ctx() { loaders }: Context,
  ): Promise<RepairerIntervention[]> {
    return (await loaders.interventionsOf.load(repairer.id)).map((i) => ({
      name: i.name,
      priceCents: i.priceCents,
      priceEuros: i.priceCents / 100,
    }));
  }

  @NotCached()
  @FieldResolver(() => [RepairerDaySlots], {
    description: `Free slots, one entry per day (Europe/Paris) from \`from\` (today by default) for \`days\` days (${MAX_DAYS} at most): opening hours every slot duration, minus closures, past times and full slots.`,
  })
  async availableSlots(
    @Root() repairer: RepairerRow,
    @Arg("from", () => GraphQLLocalDate, { nullable: true }) from: string | null,
    @Arg("days", () => Int, { defaultValue: 7 }) days: number,
    @Ctx() { loaders }: Context,
  ): Promise<DaySlots[]> {
    checkDays(days);
    const now = new Date();
    const start = from ?? parisDate(now);
    const [schedule, booked] = await scheduleAndBookings(repairer, loaders, start, days);
    return availableSlots(schedule, start, days, now, booked);
  }

  // Shown on territory pages under load; a slot taken meanwhile is refused at booking (SLOT_FULL).
  @CacheFor(CACHE_SECONDS.glance)
  @FieldResolver(() => String, {
    nullable: true,
    description: `The first free slot within ${MAX_DAYS} days, ISO 8601 with its Paris offset; null when none.`,
  })
  async nextAvailableSlot(
    @Root() repairer: RepairerRow,
    @Ctx() { loaders }: Context,
  ): Promise<string | null> {
    const now = new Date();
    const [schedule, booked] = await scheduleAndBookings(
      repairer,
      loaders,
      parisDate(now),
      NEXT_SLOT_DAYS,
    );
    return firstAvailableSlot(schedule, parisDate(now), NEXT_SLOT_DAYS, now, booked);
  }
}
