import {
  date,
  doublePrecision,
  index,
  integer,
  pgSchema,
  primaryKey,
  serial,
  text,
  timestamp,
  unique,
} from "drizzle-orm/pg-core";
import { factsTable } from "../../lib/facts/table.js";
import { datasetImportsTable } from "../../lib/seed.js";

/** Everything the engagements subgraph owns lives in this PostgreSQL schema. */
export const engagementsSchema = pgSchema("engagements");

export const collectivites = engagementsSchema.table(
  "collectivites",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    kind: text("kind").notNull(),
    /** Its own SIREN; a commune associée has none. */
    siren: text("siren"),
    /** Its official site, when a public page states it (data/facts.json). */
    url: text("url"),
    territoryId: text("territory_id").notNull(),
    source: text("source").notNull(),
    sourceUrl: text("source_url"),
  },
  (t) => [index("collectivites_territory").on(t.territoryId)],
);

export const parcours = engagementsSchema.table("parcours", {
  id: text("id").primaryKey(),
  title: text("title").notNull(),
  edition: integer("edition").notNull(),
  format: text("format").notNull(),
  /** Month it started, `YYYY-MM`, when known. */
  startedIn: text("started_in"),
  source: text("source").notNull(),
  sourceUrl: text("source_url"),
});

export const parcoursFacilitators = engagementsSchema.table(
  "parcours_facilitators",
  {
    parcoursId: text("parcours_id")
      .notNull()
      .references(() => parcours.id),
    organizationId: text("organization_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.parcoursId, t.organizationId] })],
);

export const parcoursParticipants = engagementsSchema.table(
  "parcours_participants",
  {
    parcoursId: text("parcours_id")
      .notNull()
      .references(() => parcours.id),
    collectiviteId: text("collectivite_id")
      .notNull()
      .references(() => collectivites.id),
  },
  (t) => [primaryKey({ columns: [t.parcoursId, t.collectiviteId] })],
);

export const manifestos = engagementsSchema.table("manifestos", {
  id: text("id").primaryKey(),
  title: text("title").notNull(),
  signedOn: date("signed_on", { mode: "string" }),
  source: text("source").notNull(),
  sourceUrl: text("source_url"),
});

export const manifestoSignatories = engagementsSchema.table(
  "manifesto_signatories",
  {
    manifestoId: text("manifesto_id")
      .notNull()
      .references(() => manifestos.id),
    collectiviteId: text("collectivite_id")
      .notNull()
      .references(() => collectivites.id),
  },
  (t) => [primaryKey({ columns: [t.manifestoId, t.collectiviteId] })],
);

export const callsForInterest = engagementsSchema.table("calls_for_interest", {
  id: text("id").primaryKey(),
  year: integer("year").notNull(),
  kind: text("kind").notNull(),
  title: text("title").notNull(),
  source: text("source").notNull(),
  sourceUrl: text("source_url"),
});

export const callSelections = engagementsSchema.table(
  "call_selections",
  {
    callId: text("call_id")
      .notNull()
      .references(() => callsForInterest.id),
    collectiviteId: text("collectivite_id")
      .notNull()
      .references(() => collectivites.id),
  },
  (t) => [primaryKey({ columns: [t.callId, t.collectiviteId] })],
);

export const engagements = engagementsSchema.table(
  "engagements",
  {
    id: text("id").primaryKey(),
    collectiviteId: text("collectivite_id")
      .notNull()
      .references(() => collectivites.id),
    title: text("title").notNull(),
    description: text("description"),
    /** A theme slug of the directory (`se-nourrir`, `echanger`...). */
    theme: text("theme"),
    status: text("status").notNull(),
    startedOn: date("started_on", { mode: "string" }),
    source: text("source").notNull(),
    sourceUrl: text("source_url"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("engagements_collectivite").on(t.collectiviteId),
    index("engagements_status").on(t.status),
  ],
);

export const engagementPlatforms = engagementsSchema.table(
  "engagement_platforms",
  {
    engagementId: text("engagement_id")
      .notNull()
      .references(() => engagements.id),
    platformSlug: text("platform_slug").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.engagementId, t.platformSlug] }),
    index("engagement_platforms_platform").on(t.platformSlug),
  ],
);

/** The audit trail: who changed what on an engagement, and when. */
export const engagementChanges = engagementsSchema.table(
  "engagement_changes",
  {
    id: serial("id").primaryKey(),
    engagementId: text("engagement_id")
      .notNull()
      .references(() => engagements.id),
    agentId: text("agent_id").notNull(),
    field: text("field").notNull(),
    fromValue: text("from_value"),
    toValue: text("to_value"),
    comment: text("comment"),
    changedAt: timestamp("changed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("engagement_changes_engagement").on(t.engagementId, t.changedAt)],
);

export const challenges = engagementsSchema.table("challenges", {
  id: text("id").primaryKey(),
  title: text("title").notNull(),
  description: text("description").notNull(),
  source: text("source").notNull(),
  sourceUrl: text("source_url"),
});

export const challengeOrganizers = engagementsSchema.table(
  "challenge_organizers",
  {
    challengeId: text("challenge_id")
      .notNull()
      .references(() => challenges.id),
    organizationId: text("organization_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.challengeId, t.organizationId] })],
);

export const indicators = engagementsSchema.table("indicators", {
  id: text("id").primaryKey(),
  challengeId: text("challenge_id")
    .notNull()
    .references(() => challenges.id),
  label: text("label").notNull(),
  unit: text("unit").notNull(),
  baseline: doublePrecision("baseline"),
  target: doublePrecision("target"),
  source: text("source").notNull(),
});

export const measurements = engagementsSchema.table(
  "measurements",
  {
    id: serial("id").primaryKey(),
    indicatorId: text("indicator_id")
      .notNull()
      .references(() => indicators.id),
    measuredOn: date("measured_on", { mode: "string" }).notNull(),
    value: doublePrecision("value").notNull(),
    recordedBy: text("recorded_by").notNull(),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  // One measurement per indicator and date, enforced by the database.
  (t) => [unique("measurements_one_per_date").on(t.indicatorId, t.measuredOn)],
);

export const datasetImports = datasetImportsTable(engagementsSchema);

/** Where each value of a collectivité comes from (data/facts.json). */
export const facts = factsTable(engagementsSchema);
