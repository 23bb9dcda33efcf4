import "reflect-metadata";
import { GraphQLDateTime, GraphQLLocalDate } from "graphql-scalars";
import { Directive, Field, Float, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { CACHE_SECONDS, CacheFor, CacheLikeParent } from "../../lib/graphql/cache.js";
import { ConnectionType } from "../../lib/graphql/connection.js";
import type {
  appointments,
  bikeTypes,
  closures,
  customers,
  interventions,
  openingHours,
  prestations,
  repairers,
  repairerTypes,
} from "./tables.js";

export type RepairerRow = typeof repairers.$inferSelect;
export type RepairerTypeRow = typeof repairerTypes.$inferSelect;
export type BikeTypeRow = typeof bikeTypes.$inferSelect;
export type PrestationRow = typeof prestations.$inferSelect;
export type OpeningHoursRow = typeof openingHours.$inferSelect;
export type ClosureRow = typeof closures.$inferSelect;
export type InterventionRow = typeof interventions.$inferSelect;
export type AppointmentRow = typeof appointments.$inferSelect;
export type CustomerRow = typeof customers.$inferSelect;

export enum AppointmentStatus {
  PENDING_REPAIRER = "PENDING_REPAIRER",
  VALIDATED = "VALIDATED",
  REFUSED = "REFUSED",
  CANCELLED = "CANCELLED",
}
registerEnumType(AppointmentStatus, {
  name: "AppointmentStatus",
  description: "Where an appointment is in Rustine Libre's workflow.",
  valuesConfig: {
    PENDING_REPAIRER: {
      description:
        "Booked by the customer, waiting for the repairer (cancelled after 72 h without an answer).",
    },
    VALIDATED: { description: "Accepted by the repairer, possibly at another time it proposed." },
    REFUSED: { description: "Refused by the repairer." },
    CANCELLED: { description: "Cancelled by the customer, the repairer, or expired unanswered." },
  },
});

export enum AppointmentGrouping {
  MONTH = "MONTH",
  STATUS = "STATUS",
  PRESTATION = "PRESTATION",
  REPAIRER = "REPAIRER",
}
registerEnumType(AppointmentGrouping, {
  name: "AppointmentGrouping",
  valuesConfig: {
    MONTH: { description: "Month of the slot, `YYYY-MM` in Europe/Paris." },
    STATUS: { description: "Appointment status." },
    PRESTATION: { description: "Self-diagnosis prestation (`aucune` when none was given)." },
    REPAIRER: { description: "Repairer slug." },
  },
});

export enum Weekday {
  MONDAY = "MONDAY",
  TUESDAY = "TUESDAY",
  WEDNESDAY = "WEDNESDAY",
  THURSDAY = "THURSDAY",
  FRIDAY = "FRIDAY",
  SATURDAY = "SATURDAY",
  SUNDAY = "SUNDAY",
}
registerEnumType(Weekday, { name: "Weekday" });
/** ISO weekday numbers (1 = Monday) as stored, in enum order. */
export const WEEKDAYS = Object.values(Weekday);

/** Entities of other subgraphs, by key only: the gateway fetches the rest from their owner. */
@ObjectType("Territory")
@Directive('@key(fields: "id")')
@CacheFor(CACHE_SECONDS.listing)
export class TerritoryRef {
  @Field(() => ID)
  id!: string;
}

@ObjectType("Platform")
@Directive('@key(fields: "slug")')
@CacheFor(CACHE_SECONDS.listing)
export class PlatformRef {
  @Field(() => ID)
  slug!: string;
}

@ObjectType({
  description: "A kind of repairer in Rustine Libre (atelier, auto-réparation, itinérant).",
})
@CacheFor(CACHE_SECONDS.listing)
export class RepairerType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;
}

@ObjectType({ description: "A kind of bike a repairer works on (vélo classique, électrique)." })
@CacheFor(CACHE_SECONDS.listing)
export class BikeType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;
}

@ObjectType({
  description: "A self-diagnosis the customer may give when booking (« Problème de frein »...).",
})
@CacheFor(CACHE_SECONDS.listing)
export class Prestation {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;
}

@ObjectType({ description: "The business address of a repairer (never a person's)." })
@CacheLikeParent()
export class RepairerAddress {
  @Field(() => String, { nullable: true })
  street!: string | null;

  @Field(() => String, { nullable: true })
  postcode!: string | null;

  @Field(() => String)
  city!: string;
}

@ObjectType({ description: "One weekly opening period, Europe/Paris wall-clock times." })
@CacheLikeParent()
export class RepairerOpeningHours {
  @Field(() => Weekday)
  day!: Weekday;

  @Field(() => String, { description: "`HH:MM`." })
  startTime!: string;

  @Field(() => String, { description: "`HH:MM`; the last slot ends by then." })
  endTime!: string;
}

@ObjectType({ description: "An exceptional closure (congés...), whole days, both ends included." })
@CacheLikeParent()
export class RepairerClosure {
  @Field(() => GraphQLLocalDate)
  startDate!: string;

  @Field(() => GraphQLLocalDate)
  endDate!: string;
}

@ObjectType({ description: "A priced intervention (tarif)." })
@CacheLikeParent()
export class RepairerIntervention {
  @Field(() => String)
  name!: string;

  @Field(() => Int, { description: "Price in euro cents (the stored value)." })
  priceCents!: number;

  @Field(() => Float, { description: "The same price in euros, e.g. 12.5." })
  priceEuros!: number;
}

@ObjectType({ description: "The free slots of one day (Europe/Paris)." })
export class RepairerDaySlots {
  @Field(() => GraphQLLocalDate)
  date!: string;

  @Field(() => [String], {
    description:
      "Start of each free slot, ISO 8601 with its Paris offset (`2026-03-30T09:00:00.000+02:00`).",
  })
  times!: string[];
}

@ObjectType({
  description:
    "A bike repairer on Rustine Libre (réparateur de vélos). Only enabled repairers are ever listed.",
})
@Directive('@key(fields: "id")')
@CacheFor(CACHE_SECONDS.listing)
export class Repairer {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  slug!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  description!: string;

  @Field(() => Float, { nullable: true })
  latitude!: number | null;

  @Field(() => Float, { nullable: true })
  longitude!: number | null;

  @Field(() => Int, { description: "Length of a slot in minutes (60 by default)." })
  slotDurationMinutes!: number;

  @Field(() => Int, { description: "How many appointments one slot can hold (1 to 10)." })
  parallelSlots!: number;

  @Field(() => String, {
    description: "Where the record comes from: `demonstration` data is made up for demonstrations.",
  })
  source!: string;
}

@ObjectType({
  description:
    "How to reach the customer of an appointment: personal data, shown only to the customer, the appointment's repairer and admins.",
})
export class CustomerContact {
  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => String, { nullable: true })
  phone!: string | null;
}

@ObjectType({
  description:
    "An appointment with a repairer (rendez-vous). Its customer is shown only to the parties.",
})
export class Appointment {
  @Field(() => ID)
  id!: string;

  @Field(() => AppointmentStatus)
  status!: AppointmentStatus;

  @Field(() => String, {
    description: "Start of the slot, ISO 8601 with its Paris offset, as in `availableSlots`.",
  })
  slotTime!: string;

  @Field(() => String, {
    nullable: true,
    description:
      "`CUSTOMER`, `REPAIRER` or `EXPIRY` (unanswered in 72 h, or its time passed) when cancelled.",
  })
  cancelledBy!: string | null;

  @Field(() => GraphQLDateTime)
  createdAt!: Date;

  @Field(() => GraphQLDateTime)
  updatedAt!: Date;
}

export const RepairerConnection = ConnectionType(Repairer);
export const AppointmentConnection = ConnectionType(Appointment);
