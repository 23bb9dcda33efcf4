import "reflect-metadata";
import { and, asc, count, desc, eq, gte, inArray, lt, or, type SQL, sql } from "drizzle-orm";
import { unionAll } from "drizzle-orm/pg-core";
import type { GraphQLResolveInfo } from "graphql";
import { GraphQLLocalDate } from "graphql-scalars";
import { DateTime } from "luxon";
import {
  Arg,
  Args,
  ArgsType,
  Authorized,
  Ctx,
  Directive,
  Field,
  FieldResolver,
  ID,
  Info,
  InputType,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
} from "type-graphql";
import { actingId, actsFor } from "../../lib/authorization.js";
import type { Database } from "../../lib/database.js";
import { CACHE_SECONDS, CacheFor } from "../../lib/graphql/cache.js";
import { ConnectionType, PageArgs, parsePage, toConnection } from "../../lib/graphql/connection.js";
import { badUserInput, notFound } from "../../lib/graphql/errors.js";
import { childSelections } from "../../lib/graphql/lookahead.js";
import { pathContains } from "../../lib/graphql/sql.js";
import { CountByKey } from "../../lib/graphql/stats.js";
import type { SubgraphContext } from "../../lib/subgraph.js";
import { parseTerritoryId } from "../../lib/territories.js";
import { HUB_TIME_ZONE, parisDate } from "../../lib/time.js";
import { bookAppointment, type TransitionRequest, transitionAppointment } from "./appointments.js";
import type { BookingsLoaders } from "./loaders.js";
import {
  addDays,
  availableSlots,
  type DaySlots,
  firstAvailableSlot,
  MAX_DAYS,
  type Schedule,
  slotIso,
} from "./slots.js";
import {
  appointmentCounts,
  appointments,
  appointmentTotals,
  bikeTypes,
  prestations,
  repairers,
  repairerTypes,
} from "./tables.js";
import {
  Appointment,
  AppointmentGrouping,
  type AppointmentRow,
  AppointmentStatus,
  BikeType,
  CustomerContact,
  PlatformRef,
  Prestation,
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
} from "./types.js";

type Context = SubgraphContext<BookingsLoaders>;

const RUSTINE_LIBRE = "rustine-libre";
const ACTOR_ID = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_COMMENT = 1000;

/** Availability changes with every booking: never cached. */
const NotCached = () => Directive("@cacheControl(maxAge: 0)");

/** Ids come from verified identities; their shape is still checked before they reach SQL. */
function checkActorId(id: string): string {
  if (!ACTOR_ID.test(id))
    throw badUserInput(`Identifiant invalide : « ${id} » (lettres, chiffres, - et _, 64 au plus).`);
  return id;
}

const RepairerConnection = ConnectionType(Repairer);
const AppointmentConnection = ConnectionType(Appointment);

const MAX_NAME = 100;
/** Digits, spaces, dots, dashes and an optional leading +: a French or international number. */
const PHONE = /^\+?[\d .-]{6,20}$/;

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

const startOfParisDay = (date: string) =>
  DateTime.fromISO(date, { zone: HUB_TIME_ZONE }).toJSDate();

/** The instants whose bookings decide the free slots from `from` (a Paris date) for `days` days. */
const bookingWindow = (from: string, days: number) => ({
  from: startOfParisDay(from),
  to: startOfParisDay(addDays(from, days)),
});
/** The days `nextAvailableSlot` looks through: a repairers page reads their bookings for exactly these. */
const NEXT_SLOT_DAYS = MAX_DAYS + 1;

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

@ArgsType()
class RepairersArgs extends PageArgs {
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
    if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) {
      throw badUserInput(`« days » doit être compris entre 1 et ${MAX_DAYS} (reçu : ${days}).`, {
        argument: "days",
        maximum: MAX_DAYS,
      });
    }
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

/** The first day of the month of a date `YYYY-MM-DD`, and of the month after. */
const monthOf = (date: string) => `${date.slice(0, 7)}-01`;
const nextMonth = (date: string) =>
  DateTime.fromISO(monthOf(date), { zone: "utc" }).plus({ months: 1 }).toISODate()!;

/** Days `YYYY-MM-DD` from `from` to `to`, `to` excluded. */
interface Days {
  from: string;
  to: string;
}

/**
 * What a count by slot date reads: the whole months of [from, to] in the stored counts (null bounds
 * are open; `months` is null when no whole month is in the range), and the days of a month cut by
 * `from` or `to` among the appointments themselves.
 */
function splitByMonths(
  from: string | null | undefined,
  to: string | null | undefined,
): { months: { from: string | null; to: string | null } | null; days: Days[] } {
  const end = to ? addDays(to, 1) : null;
  const monthsFrom = from ? (from === monthOf(from) ? from : nextMonth(from)) : null;
  const monthsTo = end ? monthOf(end) : null;
  if (from && end && monthsFrom! >= monthsTo!) return { months: null, days: [{ from, to: end }] };
  const days: Days[] = [];
  if (from && from !== monthsFrom) days.push({ from, to: monthsFrom! });
  if (end && end !== monthsTo) days.push({ from: monthsTo!, to: end });
  return { months: { from: monthsFrom, to: monthsTo }, days };
}

type StoredCounts = typeof appointmentCounts | typeof appointmentTotals;

/**
 * How each grouping reads its key: from stored counts (per repairer, or the platform's totals), from
 * the appointments (the same value: `bookings.paris_month` is the function the counts' triggers
 * use), and as the answer shows it.
 */
const GROUPINGS: Record<
  AppointmentGrouping,
  { stored: (counts: StoredCounts) => SQL; live: SQL; key: (grouped: SQL.Aliased) => SQL<string> }
> = {
  MONTH: {
    stored: (c) => sql`${c.month}`,
    live: sql`bookings.paris_month(${appointments.slotTime})`,
    key: (g) => sql`to_char(${g}, 'YYYY-MM')`,
  },
  STATUS: {
    stored: (c) => sql`${c.status}`,
    live: sql`${appointments.status}`,
    key: (g) => sql`${g}`,
  },
  PRESTATION: {
    stored: (c) => sql`${c.prestationId}`,
    live: sql`coalesce(${appointments.prestationId}, '')`,
    key: (g) => sql`coalesce(nullif(${g}, ''), 'aucune')`,
  },
  REPAIRER: {
    stored: () => sql`${appointmentCounts.repairerId}`,
    live: sql`${appointments.repairerId}`,
    key: () => sql`${repairers.slug}`,
  },
};

/**
 * Appointments counted by month, status, prestation or repairer; slot dates in Europe/Paris. Whole
 * months are summed from stored counts, kept by triggers in the transaction of every write: the
 * platform's totals (a few hundred rows) when no territory or repairer is asked for, else the
 * per-repairer counts (about a third as many rows as appointments, and no date to compute). Only
 * the days of a month that `from` or `to` cuts are counted among the appointments.
 */
async function countAppointments(
  db: Database,
  groupBy: AppointmentGrouping,
  filter: { territoryId?: string | null; from?: string | null; to?: string | null },
): Promise<CountByKey[]> {
  const grouping = GROUPINGS[groupBy];
  const inTerritory = (repairerId: SQL) =>
    filter.territoryId
      ? inArray(
          repairerId,
          db
            .select({ id: repairers.id })
            .from(repairers)
            .where(pathContains(repairers.territoryPath, filter.territoryId)),
        )
      : undefined;
  const { months, days } = splitByMonths(filter.from, filter.to);
  const counts: StoredCounts =
    filter.territoryId || groupBy === AppointmentGrouping.REPAIRER
      ? appointmentCounts
      : appointmentTotals;

  const storedKey = grouping.stored(counts).as("grouped");
  const liveKey = grouping.live.as("grouped");
  const stored =
    months &&
    db
      .select({ grouped: storedKey, n: sql<number>`sum(${counts.count})`.as("n") })
      .from(counts)
      .where(
        and(
          inTerritory(sql`${appointmentCounts.repairerId}`),
          months.from ? gte(counts.month, months.from) : undefined,
          months.to ? lt(counts.month, months.to) : undefined,
        ),
      )
      .groupBy(storedKey);
  const live =
    days.length > 0
      ? db
          .select({ grouped: liveKey, n: sql<number>`count(*)`.as("n") })
          .from(appointments)
          .where(
            and(
              inTerritory(sql`${appointments.repairerId}`),
              or(
                ...days.map((d) =>
                  and(
                    gte(appointments.slotTime, startOfParisDay(d.from)),
                    lt(appointments.slotTime, startOfParisDay(d.to)),
                  ),
                ),
              ),
            ),
          )
          .groupBy(liveKey)
      : null;
  // drizzle types a union after its first table; both parts select the same two columns.
  const counted = (
    stored && live ? unionAll(stored, live as unknown as typeof stored) : (stored ?? live)!
  ).as("counted");
  const key = grouping.key(counted.grouped);
  const query = db.select({ key, count: sql<number>`sum(${counted.n})` }).from(counted);
  const rows = await (groupBy === AppointmentGrouping.REPAIRER
    ? query.innerJoin(repairers, sql`${repairers.id} = ${counted.grouped}`)
    : query
  )
    .groupBy(key)
    // Keys whose appointments all moved elsewhere keep a stored count of zero: a plain count would not show them.
    .having(sql`sum(${counted.n}) > 0`)
    .orderBy(key);
  return rows.map((r) => ({ key: r.key, count: Number(r.count) }));
}

@Resolver()
export class BookingStatsResolver {
  @CacheFor(CACHE_SECONDS.catalogue)
  @Query(() => [CountByKey], {
    description:
      "For analysts: appointments counted (never listed), by repairer location and slot date (both ends included).",
  })
  appointmentStats(
    @Arg("groupBy", () => AppointmentGrouping) groupBy: AppointmentGrouping,
    @Arg("territoryId", () => ID, { nullable: true }) territoryId: string | null,
    @Arg("from", () => GraphQLLocalDate, { nullable: true }) from: string | null,
    @Arg("to", () => GraphQLLocalDate, { nullable: true }) to: string | null,
    @Ctx() { db }: Context,
  ): Promise<CountByKey[]> {
    if (territoryId != null && !parseTerritoryId(territoryId)) {
      throw badUserInput(
        `Identifiant de territoire invalide : « ${territoryId} » (attendu KIND:CODE, par ex. COM:59350).`,
        { argument: "territoryId" },
      );
    }
    if (from && to && from > to)
      throw badUserInput("« from » doit précéder « to ».", { argument: "from" });
    return countAppointments(db, groupBy, { territoryId, from, to });
  }

  @CacheFor(CACHE_SECONDS.listing)
  @Query(() => [BikeType])
  bikeTypes(@Ctx() { db }: Context) {
    return db.select().from(bikeTypes).orderBy(asc(bikeTypes.name));
  }

  @CacheFor(CACHE_SECONDS.listing)
  @Query(() => [RepairerType])
  repairerTypes(@Ctx() { db }: Context) {
    return db.select().from(repairerTypes).orderBy(asc(repairerTypes.name));
  }

  @CacheFor(CACHE_SECONDS.listing)
  @Query(() => [Prestation], {
    description: "The self-diagnoses a customer may give when booking.",
  })
  prestations(@Ctx() { db }: Context) {
    return db.select().from(prestations).orderBy(asc(prestations.name));
  }
}

@Resolver(() => PlatformRef)
export class PlatformBookingsResolver {
  @CacheFor(CACHE_SECONDS.catalogue)
  @FieldResolver(() => [CountByKey], {
    nullable: true,
    description:
      "Rustine Libre only (null elsewhere): its appointments counted by month, status, prestation or repairer.",
  })
  bookingStats(
    @Root() platform: PlatformRef,
    @Arg("groupBy", () => AppointmentGrouping, { defaultValue: AppointmentGrouping.MONTH })
    groupBy: AppointmentGrouping,
    @Ctx() { db }: Context,
  ): Promise<CountByKey[]> | null {
    return platform.slug === RUSTINE_LIBRE ? countAppointments(db, groupBy, {}) : null;
  }
}

@InputType({ description: "A booking request (prise de rendez-vous)." })
class BookAppointmentInput {
  @Field(() => ID)
  repairerId!: string;

  @Field(() => String, {
    description: "One of the repairer's `availableSlots` times (ISO 8601 with offset).",
  })
  slotTime!: string;

  @Field(() => ID)
  bikeTypeId!: string;

  @Field(() => ID, { nullable: true, description: "Self-diagnosis (`probleme-de-frein`...)." })
  prestationId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "For the repairer only; never shown in the public schema.",
  })
  comment?: string | null;

  @Field(() => CustomerContactInput, {
    nullable: true,
    description:
      "How the repairer may reach the customer; kept for the customer's later bookings too. Shown only to the customer, its repairers and admins.",
  })
  contact?: CustomerContactInput | null;
}

@InputType({ description: "A customer's contact (personal data)." })
class CustomerContactInput {
  @Field(() => String, {
    nullable: true,
    description: `A name the repairer may call the customer by (${MAX_NAME} characters at most).`,
  })
  name?: string | null;

  @Field(() => String, { nullable: true, description: "A phone number." })
  phone?: string | null;
}

function checkContact(contact: CustomerContactInput): {
  name: string | null;
  phone: string | null;
} {
  const name = contact.name?.trim() || null;
  const phone = contact.phone?.trim() || null;
  if (name && name.length > MAX_NAME)
    throw badUserInput(`Le nom fait au plus ${MAX_NAME} caractères.`, {
      argument: "input.contact.name",
    });
  if (phone && !PHONE.test(phone))
    throw badUserInput(`Numéro de téléphone invalide : « ${phone} ».`, {
      argument: "input.contact.phone",
    });
  return { name, phone };
}

@ArgsType()
class MyAppointmentsArgs extends PageArgs {
  @Field(() => AppointmentStatus, { nullable: true })
  status?: AppointmentStatus | null;
}

@Resolver(() => Appointment)
export class AppointmentResolver {
  @FieldResolver(() => String)
  slotTime(@Root() appointment: AppointmentRow): string {
    return slotIso(appointment.slotTime);
  }

  @FieldResolver(() => Repairer, {
    nullable: true,
    description: "Null once the repairer is disabled.",
  })
  repairer(@Root() appointment: AppointmentRow, @Ctx() { loaders }: Context) {
    return loaders.repairer.load(appointment.repairerId);
  }

  @FieldResolver(() => BikeType)
  bikeType(@Root() appointment: AppointmentRow, @Ctx() { loaders }: Context) {
    return loaders.bikeType.load(appointment.bikeTypeId);
  }

  @FieldResolver(() => Prestation, { nullable: true })
  prestation(@Root() appointment: AppointmentRow, @Ctx() { loaders }: Context) {
    return appointment.prestationId ? loaders.prestation.load(appointment.prestationId) : null;
  }

  @FieldResolver(() => CustomerContact, {
    nullable: true,
    description:
      "The customer's contact, for the customer itself, the appointment's repairer (who must reach them) and admins; null for anyone else.",
  })
  async customer(
    @Root() appointment: AppointmentRow,
    @Ctx() { loaders, identity }: Context,
  ): Promise<CustomerContact | null> {
    const party =
      actsFor(identity, "customer", appointment.customerId) ||
      actsFor(identity, "repairer", appointment.repairerId);
    if (!party) return null;
    const customer = await loaders.customer.load(appointment.customerId);
    return customer && { name: customer.name, phone: customer.phone };
  }

  @Authorized("customer", "repairer")
  @Query(() => AppointmentConnection, {
    description:
      "The caller's appointments, latest slot first: a customer's own, or those made with the repairer a key acts for (every one for an admin).",
  })
  async myAppointments(
    @Args(() => MyAppointmentsArgs) args: MyAppointmentsArgs,
    @Ctx() { db, identity, loaders }: Context,
  ) {
    const page = parsePage(args);
    const mine =
      identity.role === "admin"
        ? undefined
        : identity.actsFor?.kind === "repairer"
          ? eq(appointments.repairerId, identity.actsFor.id)
          : eq(appointments.customerId, actingId(identity, "customer"));
    const where = and(mine, args.status ? eq(appointments.status, args.status) : undefined);
    const [rows, [total]] = await Promise.all([
      loaders.select(
        db
          .select()
          .from(appointments)
          .where(where)
          .orderBy(desc(appointments.slotTime), asc(appointments.id))
          .limit(page.limit)
          .offset(page.offset),
      ),
      loaders.select(db.select({ n: count() }).from(appointments).where(where)),
    ]);
    return toConnection(rows, page, Number(total!.n));
  }

  @Mutation(() => Appointment, {
    description:
      "Books a free slot (status PENDING_REPAIRER). SLOT_FULL when the slot holds as many appointments as the repairer has parallel slots; SLOT_UNAVAILABLE when it is closed, past or off its hours.",
  })
  @Authorized("customer")
  async bookAppointment(
    @Arg("input", () => BookAppointmentInput) input: BookAppointmentInput,
    @Ctx() { db, loaders, identity }: Context,
  ): Promise<AppointmentRow> {
    const customerId = checkActorId(actingId(identity, "customer"));
    if (input.comment && input.comment.length > MAX_COMMENT)
      throw badUserInput(`Le commentaire fait au plus ${MAX_COMMENT} caractères.`, {
        argument: "input.comment",
      });
    if (!(await loaders.repairer.load(input.repairerId)))
      throw notFound(`Réparateur inconnu : « ${input.repairerId} ».`);
    const bikeTypes = await loaders.bikeTypesOf.load(input.repairerId);
    if (!bikeTypes.some((b) => b.id === input.bikeTypeId)) {
      throw badUserInput(`Ce réparateur ne prend pas ce type de vélo : « ${input.bikeTypeId} ».`, {
        argument: "input.bikeTypeId",
      });
    }
    if (input.prestationId && !(await loaders.prestation.load(input.prestationId))) {
      throw badUserInput(`Prestation inconnue : « ${input.prestationId} ».`, {
        argument: "input.prestationId",
      });
    }
    return bookAppointment(
      db,
      {
        repairerId: input.repairerId,
        customerId,
        slotTime: parseSlotTime(input.slotTime, "input.slotTime"),
        bikeTypeId: input.bikeTypeId,
        prestationId: input.prestationId ?? null,
        comment: input.comment ?? null,
        contact: input.contact ? checkContact(input.contact) : null,
      },
      new Date(),
    );
  }

  @Authorized("repairer")
  @Mutation(() => Appointment, {
    description: "The repairer accepts a pending appointment of its own.",
  })
  validateAppointment(
    @Arg("appointmentId", () => ID) appointmentId: string,
    @Ctx() { db, identity }: Context,
  ) {
    return transition(db, {
      appointmentId,
      action: "VALIDATE",
      actor: "REPAIRER",
      actorId: actingId(identity, "repairer"),
    });
  }

  @Authorized("repairer")
  @Mutation(() => Appointment, {
    description: "The repairer refuses a pending appointment of its own.",
  })
  refuseAppointment(
    @Arg("appointmentId", () => ID) appointmentId: string,
    @Ctx() { db, identity }: Context,
  ) {
    return transition(db, {
      appointmentId,
      action: "REFUSE",
      actor: "REPAIRER",
      actorId: actingId(identity, "repairer"),
    });
  }

  @Authorized("repairer")
  @Mutation(() => Appointment, {
    description:
      "The repairer moves a pending or validated appointment of its own to another free slot; it is then validated.",
  })
  proposeAppointmentSlot(
    @Arg("appointmentId", () => ID) appointmentId: string,
    @Arg("slotTime", () => String, {
      description: "ISO 8601 with offset, one of the repairer's `availableSlots` times.",
    })
    slotTime: string,
    @Ctx() { db, identity }: Context,
  ) {
    return transition(db, {
      appointmentId,
      action: "PROPOSE_SLOT",
      actor: "REPAIRER",
      actorId: actingId(identity, "repairer"),
      slotTime: parseSlotTime(slotTime, "slotTime"),
    });
  }

  @Authorized("customer", "repairer")
  @Mutation(() => Appointment, {
    description:
      "The appointment's customer, or its repairer, cancels it while pending or validated.",
  })
  cancelAppointment(
    @Arg("appointmentId", () => ID) appointmentId: string,
    @Ctx() { db, identity }: Context,
  ) {
    return identity.actsFor?.kind === "repairer"
      ? transition(db, {
          appointmentId,
          action: "CANCEL",
          actor: "REPAIRER",
          actorId: identity.actsFor.id,
        })
      : transition(db, {
          appointmentId,
          action: "CANCEL",
          actor: "CUSTOMER",
          actorId: actingId(identity, "customer"),
        });
  }
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Slot times are strings parsed here rather than a DateTime scalar: a malformed scalar variable
 * fails at the subgraph before any resolver, and the gateway then reports SUBGRAPH_UNAVAILABLE.
 */
function parseSlotTime(value: string, argument: string): Date {
  const time = Date.parse(value);
  if (!ISO_INSTANT.test(value) || Number.isNaN(time)) {
    throw badUserInput(
      `Horaire invalide : « ${value} » (attendu ISO 8601 avec décalage, par ex. 2026-03-30T09:00:00+02:00).`,
      { argument },
    );
  }
  return new Date(time);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function transition(db: Database, request: TransitionRequest): Promise<AppointmentRow> {
  if (!UUID.test(request.appointmentId))
    throw badUserInput(`Identifiant de rendez-vous invalide : « ${request.appointmentId} ».`, {
      argument: "appointmentId",
    });
  checkActorId(request.actorId);
  return transitionAppointment(db, request, new Date());
}
