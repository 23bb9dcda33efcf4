import {
  type AnyPgColumn,
  date,
  index,
  integer,
  jsonb,
  pgSchema,
  primaryKey,
  serial,
  text,
  timestamp,
  unique,
} from "drizzle-orm/pg-core";
import type { SchemaChange } from "./changes.js";

/** The partner registry: who may publish, what they published, and every supergraph served. */
export const registrySchema = pgSchema("registry");

/** A partner platform; its tokens are API keys with role `partner` acting for `partner:<id>`. */
export const partners = registrySchema.table("partners", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A published subgraph. Removed ones stay, with their history, and no current version: a current
 * version is what makes one active (no separate status that could say otherwise).
 */
export const subgraphs = registrySchema.table("subgraphs", {
  name: text("name").primaryKey(),
  /** Null when an admin published it for the hub itself. */
  ownerPartnerId: text("owner_partner_id").references(() => partners.id),
  currentVersionId: integer("current_version_id").references(
    (): AnyPgColumn => subgraphVersions.id,
  ),
  /**
   * The deadline of each call to it, in milliseconds, when not the default (`PARTNER_TIMEOUT_MS`):
   * its partner may lower it, an admin may set it.
   */
  timeoutMs: integer("timeout_ms"),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Every version ever published: the SDL, where it was served, who published it and when. */
export const subgraphVersions = registrySchema.table(
  "subgraph_versions",
  {
    id: serial("id").primaryKey(),
    subgraphName: text("subgraph_name")
      .notNull()
      .references(() => subgraphs.name),
    /** 1, 2, 3... per subgraph. */
    version: integer("version").notNull(),
    routingUrl: text("routing_url").notNull(),
    sdl: text("sdl").notNull(),
    publishedBy: text("published_by").notNull(),
    /** The partner id that published it, or `admin` (null before the changelog). */
    publisher: text("publisher"),
    publishedAt: timestamp("published_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("subgraph_versions_number").on(t.subgraphName, t.version)],
);

/**
 * Every composition that went live, in order: its id is the revision gateways follow. `members`
 * maps each registry subgraph to the version id it composed.
 */
export const supergraphs = registrySchema.table("supergraphs", {
  id: serial("id").primaryKey(),
  supergraphSdl: text("supergraph_sdl").notNull(),
  apiSdl: text("api_sdl").notNull(),
  /**
   * Which hub subgraphs it was composed with (`builtInsHash`): a gateway with the same serves it
   * as it is, any other composes the registry's subgraphs with its own.
   */
  builtInsHash: text("built_ins_hash").notNull(),
  members: jsonb("members").$type<Record<string, number>>().notNull(),
  /** What made it: `publish carpool v2`, `rollback carpool to v1`, `remove carpool`. */
  action: text("action").notNull(),
  createdBy: text("created_by").notNull(),
  /** The subgraph the change was about, and the version it served (null once removed). */
  subgraph: text("subgraph"),
  subgraphVersion: integer("subgraph_version"),
  /** The partner id that made it, or `admin` (null before the changelog). */
  publisher: text("publisher"),
  /** What clients saw change, as checked (null before the changelog: diffed when read). */
  changes: jsonb("changes").$type<SchemaChange[]>(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Operations clients sent through a gateway, by signature (a hash of the document), with the
 * schema coordinates they read (`Type.field`): what a breaking change is checked against.
 */
export const operations = registrySchema.table(
  "operations",
  {
    signature: text("signature").primaryKey(),
    name: text("name"),
    coordinates: jsonb("coordinates").$type<string[]>().notNull(),
    count: integer("count").notNull(),
    firstSeenAt: timestamp("first_seen_at", { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("operations_last_seen").on(t.lastSeenAt)],
);

/**
 * How often each operation was sent, per day (UTC) and per client: the client named by the
 * `graphql-client-name`/`-version` headers (or Apollo's), or the app deployment its trusted
 * document belongs to; "" when none. What field usage is read from.
 */
export const operationUsage = registrySchema.table(
  "operation_usage",
  {
    signature: text("signature")
      .notNull()
      .references(() => operations.signature),
    day: date("day", { mode: "string" }).notNull(),
    clientName: text("client_name").notNull().default(""),
    clientVersion: text("client_version").notNull().default(""),
    count: integer("count").notNull(),
  },
  (t) => [
    primaryKey({
      name: "operation_usage_pk",
      columns: [t.signature, t.day, t.clientName, t.clientVersion],
    }),
    index("operation_usage_day").on(t.day),
  ],
);

/**
 * A portal's published operations (its trusted documents), one row per version of the portal:
 * active until retired. Owned by the partner that published its first version (null: the
 * administration).
 */
export const appDeployments = registrySchema.table(
  "app_deployments",
  {
    id: serial("id").primaryKey(),
    name: text("name").notNull(),
    version: text("version").notNull(),
    ownerPartnerId: text("owner_partner_id").references(() => partners.id),
    publishedBy: text("published_by").notNull(),
    publishedAt: timestamp("published_at", { withTimezone: true }).notNull().defaultNow(),
    retiredAt: timestamp("retired_at", { withTimezone: true }),
  },
  (t) => [unique("app_deployments_version").on(t.name, t.version)],
);

/** The operations of an app deployment, by the sha256 hash of their text, with what they read. */
export const appOperations = registrySchema.table(
  "app_operations",
  {
    deploymentId: integer("deployment_id")
      .notNull()
      .references(() => appDeployments.id),
    hash: text("hash").notNull(),
    name: text("name"),
    body: text("body").notNull(),
    coordinates: jsonb("coordinates").$type<string[]>().notNull(),
  },
  (t) => [
    primaryKey({ name: "app_operations_pk", columns: [t.deploymentId, t.hash] }),
    index("app_operations_hash").on(t.hash),
  ],
);
