import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgSchema,
  serial,
  text,
  timestamp,
  unique,
} from "drizzle-orm/pg-core";
import { importedColumns } from "../../lib/provenance.js";
import { datasetImportsTable } from "../../lib/seed.js";

/** Everything the exchanges subgraph (EBS instances) owns lives in this PostgreSQL schema. */
export const exchangesSchema = pgSchema("exchanges");

/** An EBS instance: one per territory, "dans une fédération d'instances". */
export const instances = exchangesSchema.table("instances", {
  slug: text("slug").primaryKey(),
  name: text("name").notNull(),
  baseUrl: text("base_url"),
  territoryId: text("territory_id").notNull(),
  /** The directory platform it is listed as, when it is listed. */
  platformSlug: text("platform_slug").unique(),
  servicesEnabled: boolean("services_enabled").notNull(),
  source: text("source").notNull(),
  sourceId: text("source_id"),
});

export const categories = exchangesSchema.table(
  "categories",
  {
    id: text("id").primaryKey(),
    type: text("type").notNull(),
    name: text("name").notNull(),
    parentId: text("parent_id"),
    position: integer("position").notNull(),
    source: text("source").notNull(),
    sourceId: text("source_id"),
    ...importedColumns(),
  },
  (t) => [index("categories_type").on(t.type, t.position)],
);

export interface OpeningSlot {
  day: "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday";
  opens: string;
  closes: string;
}

/**
 * Owners of products: a person, known here only by the display name they chose and the commune
 * used to place their products, or a partner place (an objetothèque) with its public address.
 */
export const members = exchangesSchema.table(
  "members",
  {
    id: text("id").primaryKey(),
    instanceSlug: text("instance_slug")
      .notNull()
      .references(() => instances.slug),
    kind: text("kind").notNull(),
    displayName: text("display_name").notNull(),
    /** Persons only, personal data: shown to the member itself and admins, never in public answers. */
    email: text("email"),
    phone: text("phone"),
    /** Places only: their public address and opening schedule. */
    street: text("street"),
    postalCode: text("postal_code"),
    locality: text("locality"),
    schedule: jsonb("schedule").$type<OpeningSlot[]>(),
    territoryId: text("territory_id").notNull(),
    territoryPath: text("territory_path").array().notNull(),
    source: text("source").notNull(),
    sourceId: text("source_id"),
    ...importedColumns(),
  },
  (t) => [
    index("members_territory_path").using("gin", t.territoryPath),
    index("members_kind").on(t.kind),
  ],
);

export const products = exchangesSchema.table(
  "products",
  {
    id: text("id").primaryKey(),
    instanceSlug: text("instance_slug")
      .notNull()
      .references(() => instances.slug),
    ownerId: text("owner_id")
      .notNull()
      .references(() => members.id),
    type: text("type").notNull(),
    categoryId: text("category_id")
      .notNull()
      .references(() => categories.id),
    status: text("status").notNull(),
    visibility: text("visibility").notNull(),
    name: text("name").notNull(),
    slug: text("slug").notNull(),
    description: text("description").notNull(),
    /** Objects only. */
    age: text("age"),
    depositCents: integer("deposit_cents"),
    currency: text("currency"),
    preferredLoanDays: integer("preferred_loan_days"),
    /** Services only. */
    durationMinutes: integer("duration_minutes"),
    /** The owner's territory path, copied so that listing by territory is one indexed condition. */
    territoryPath: text("territory_path").array().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    source: text("source").notNull(),
    sourceId: text("source_id"),
    ...importedColumns(),
  },
  (t) => [
    unique("products_slug_per_instance").on(t.instanceSlug, t.slug),
    index("products_territory_path").using("gin", t.territoryPath),
    index("products_listing").on(t.status, t.visibility, t.type, t.categoryId),
    index("products_owner").on(t.ownerId),
  ],
);

/** Periods the owner made a product unavailable. */
export const unavailabilities = exchangesSchema.table(
  "unavailabilities",
  {
    id: serial("id").primaryKey(),
    productId: text("product_id")
      .notNull()
      .references(() => products.id),
    startDate: date("start_date", { mode: "string" }).notNull(),
    endDate: date("end_date", { mode: "string" }).notNull(),
  },
  (t) => [index("unavailabilities_product").on(t.productId, t.startDate)],
);

/** Loans ("service requests" in EBS). Two confirmed loans of one product never overlap: see the migration. */
export const loans = exchangesSchema.table(
  "loans",
  {
    id: text("id").primaryKey(),
    productId: text("product_id")
      .notNull()
      .references(() => products.id),
    lenderId: text("lender_id")
      .notNull()
      .references(() => members.id),
    borrowerId: text("borrower_id")
      .notNull()
      .references(() => members.id),
    startDate: date("start_date", { mode: "string" }).notNull(),
    endDate: date("end_date", { mode: "string" }).notNull(),
    status: text("status").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    source: text("source").notNull(),
    sourceId: text("source_id"),
    ...importedColumns(),
  },
  (t) => [
    index("loans_product").on(t.productId, t.startDate),
    index("loans_start").on(t.startDate),
    index("loans_status").on(t.status),
    // A member's own loans (`myLoans`), as lender or as borrower.
    index("loans_lender").on(t.lenderId, t.startDate),
    index("loans_borrower").on(t.borrowerId, t.startDate),
  ],
);

/** Every transition of a loan: who moved it, from what, to what, when. */
export const loanEvents = exchangesSchema.table(
  "loan_events",
  {
    id: serial("id").primaryKey(),
    loanId: text("loan_id")
      .notNull()
      .references(() => loans.id),
    actorId: text("actor_id").notNull(),
    action: text("action").notNull(),
    fromStatus: text("from_status"),
    toStatus: text("to_status").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("loan_events_loan").on(t.loanId)],
);

export const datasetImports = datasetImportsTable(exchangesSchema);

/** The exclusion constraint of migration 0002, recognised by the resolvers when it refuses a loan. */
export const NO_OVERLAPPING_LOANS = "loans_no_overlap_when_confirmed";
