import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  date,
  doublePrecision,
  index,
  integer,
  pgSchema,
  primaryKey,
  serial,
  smallint,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { importedColumns } from "../../lib/provenance.js";
import { datasetImportsTable } from "../../lib/seed.js";

/** Everything the bookings subgraph (Rustine Libre) owns lives in this PostgreSQL schema. */
export const bookings = pgSchema("bookings");

export const datasetImports = datasetImportsTable(bookings);

/** Rustine Libre's reference lists: repairer types, bike types, self-diagnosis prestations. */
export const repairerTypes = bookings.table("repairer_types", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  source: text("source").notNull(),
  sourceId: text("source_id"),
});

export const bikeTypes = bookings.table("bike_types", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  source: text("source").notNull(),
  sourceId: text("source_id"),
});

export const prestations = bookings.table("prestations", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  source: text("source").notNull(),
});

export const repairers = bookings.table(
  "repairers",
  {
    id: text("id").primaryKey(),
    slug: text("slug").notNull().unique(),
    name: text("name").notNull(),
    description: text("description").notNull(),
    street: text("street"),
    postcode: text("postcode"),
    city: text("city").notNull(),
    latitude: doublePrecision("latitude"),
    longitude: doublePrecision("longitude"),
    /** The commune it is in (directory Territory id) and every territory containing it. */
    territoryId: text("territory_id").notNull(),
    territoryPath: text("territory_path").array().notNull(),
    slotDurationMinutes: integer("slot_duration_minutes").notNull().default(60),
    /** How many appointments one slot can hold (Rustine Libre's `numberOfSlots`). */
    parallelSlots: integer("parallel_slots").notNull().default(1),
    /** An admin validates new repairers: disabled ones are never listed. */
    enabled: boolean("enabled").notNull().default(false),
    source: text("source").notNull(),
    sourceId: text("source_id"),
    ...importedColumns(),
  },
  (t) => [
    index("repairers_territory_path_gin").using("gin", t.territoryPath),
    index("repairers_name").on(t.name, t.id),
    check("repairers_slot_duration", sql`${t.slotDurationMinutes} between 10 and 480`),
    check("repairers_parallel_slots", sql`${t.parallelSlots} between 1 and 10`),
  ],
);

export const repairerRepairerTypes = bookings.table(
  "repairer_repairer_types",
  {
    repairerId: text("repairer_id")
      .notNull()
      .references(() => repairers.id),
    repairerTypeId: text("repairer_type_id")
      .notNull()
      .references(() => repairerTypes.id),
  },
  (t) => [
    primaryKey({ columns: [t.repairerId, t.repairerTypeId] }),
    index("repairer_repairer_types_type").on(t.repairerTypeId),
  ],
);

export const repairerBikeTypes = bookings.table(
  "repairer_bike_types",
  {
    repairerId: text("repairer_id")
      .notNull()
      .references(() => repairers.id),
    bikeTypeId: text("bike_type_id")
      .notNull()
      .references(() => bikeTypes.id),
  },
  (t) => [
    primaryKey({ columns: [t.repairerId, t.bikeTypeId] }),
    index("repairer_bike_types_type").on(t.bikeTypeId),
  ],
);

/** Communes an itinerant repairer serves, filed under every territory containing them. */
export const repairerCities = bookings.table(
  "repairer_cities",
  {
    repairerId: text("repairer_id")
      .notNull()
      .references(() => repairers.id),
    territoryId: text("territory_id").notNull(),
    territoryPath: text("territory_path").array().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.repairerId, t.territoryId] }),
    index("repairer_cities_territory_path_gin").using("gin", t.territoryPath),
  ],
);

/** Weekly opening hours, Europe/Paris wall-clock times "HH:MM"; ISO weekday 1 (Monday) to 7. */
export const openingHours = bookings.table(
  "opening_hours",
  {
    id: serial("id").primaryKey(),
    repairerId: text("repairer_id")
      .notNull()
      .references(() => repairers.id),
    weekday: integer("weekday").notNull(),
    startTime: text("start_time").notNull(),
    endTime: text("end_time").notNull(),
  },
  (t) => [
    index("opening_hours_repairer").on(t.repairerId, t.weekday),
    check("opening_hours_weekday", sql`${t.weekday} between 1 and 7`),
    check(
      "opening_hours_times",
      sql`${t.startTime} ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' and ${t.endTime} ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' and ${t.startTime} < ${t.endTime}`,
    ),
  ],
);

/** Exceptional closures, whole days from `startDate` to `endDate` included. */
export const closures = bookings.table(
  "closures",
  {
    id: serial("id").primaryKey(),
    repairerId: text("repairer_id")
      .notNull()
      .references(() => repairers.id),
    startDate: date("start_date", { mode: "string" }).notNull(),
    endDate: date("end_date", { mode: "string" }).notNull(),
    reason: text("reason"),
  },
  (t) => [
    index("closures_repairer").on(t.repairerId, t.endDate),
    check("closures_dates", sql`${t.startDate} <= ${t.endDate}`),
  ],
);

export const interventions = bookings.table(
  "interventions",
  {
    id: serial("id").primaryKey(),
    repairerId: text("repairer_id")
      .notNull()
      .references(() => repairers.id),
    name: text("name").notNull(),
    priceCents: integer("price_cents").notNull(),
  },
  (t) => [
    index("interventions_repairer").on(t.repairerId),
    check("interventions_price", sql`${t.priceCents} >= 0`),
  ],
);

/**
 * Customers are people: a pseudonymous id, and the contact they chose to give when booking so that
 * the repairer can reach them. The contact is shown only to the customer, the repairers it booked
 * with, and admins; never in public answers or statistics.
 */
export const customers = bookings.table("customers", {
  id: text("id").primaryKey(),
  name: text("name"),
  phone: text("phone"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const APPOINTMENT_STATUSES = [
  "PENDING_REPAIRER",
  "VALIDATED",
  "REFUSED",
  "CANCELLED",
] as const;

export const appointments = bookings.table(
  "appointments",
  {
    id: uuid("id").primaryKey(),
    repairerId: text("repairer_id")
      .notNull()
      .references(() => repairers.id),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id),
    slotTime: timestamp("slot_time", { withTimezone: true }).notNull(),
    bikeTypeId: text("bike_type_id")
      .notNull()
      .references(() => bikeTypes.id),
    prestationId: text("prestation_id").references(() => prestations.id),
    /** Free text from the customer: may hold personal data, so it stays out of the public schema. */
    comment: text("comment"),
    status: text("status").notNull(),
    /** Who cancelled: CUSTOMER, REPAIRER, or EXPIRY (the periodic job). */
    cancelledBy: text("cancelled_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
    source: text("source").notNull(),
  },
  (t) => [
    // Capacity counts and availability read the active appointments of a repairer at given times.
    index("appointments_active_slot")
      .on(t.repairerId, t.slotTime)
      .where(sql`${t.status} in ('PENDING_REPAIRER', 'VALIDATED')`),
    // The expiry job scans pending appointments only.
    index("appointments_pending").on(t.createdAt).where(sql`${t.status} = 'PENDING_REPAIRER'`),
    index("appointments_slot_time").on(t.slotTime),
    // A customer's or a repairer's own appointments (`myAppointments`).
    index("appointments_customer").on(t.customerId, t.slotTime),
    index("appointments_repairer").on(t.repairerId, t.slotTime),
    check(
      "appointments_status",
      sql`${t.status} in ('PENDING_REPAIRER', 'VALIDATED', 'REFUSED', 'CANCELLED')`,
    ),
    check(
      "appointments_cancelled_by",
      sql`(${t.status} = 'CANCELLED') = (${t.cancelledBy} is not null)`,
    ),
  ],
);

/**
 * The statistics' stored counts: appointments by repairer, month of their slot (Europe/Paris, as
 * `appointmentStats` groups them), status and prestation, for counts by territory or repairer; and
 * the same without the repairer, a few hundred rows, for counts of the whole platform: counting
 * the appointments themselves was too slow at scale (docs/benchmarks.md). Triggers on `appointments` (migration 0003) keep
 * both in the transaction of every write, whichever code makes it: bookings, workflow steps, the
 * expiry job, seeds, and the scale generator's direct inserts.
 */
const countedColumns = {
  /** The first day of the month, Europe/Paris. */
  month: date("month", { mode: "string" }).notNull(),
  status: text("status").notNull(),
  /** '' for appointments without a prestation: a primary key column cannot be null. */
  prestationId: text("prestation_id").notNull(),
  /** Zero once every appointment of its key has moved on; the statistics leave such keys out. */
  count: integer("count").notNull(),
};

export const appointmentCounts = bookings.table(
  "appointment_counts",
  { repairerId: text("repairer_id").notNull(), ...countedColumns },
  (t) => [primaryKey({ columns: [t.repairerId, t.month, t.status, t.prestationId] })],
);

/**
 * The platform's counts, each key split over up to 16 rows by repairer (`stripe` =
 * `bookings.totals_stripe(repairer_id)`, the first byte of its md5 & 15, migration 0004): a write holds its rows until it commits, and one
 * row per key made concurrent bookings of different repairers wait on each other. The statistics
 * sum the stripes.
 */
export const appointmentTotals = bookings.table(
  "appointment_totals",
  { ...countedColumns, stripe: smallint("stripe").notNull() },
  (t) => [primaryKey({ columns: [t.month, t.status, t.prestationId, t.stripe] })],
);
