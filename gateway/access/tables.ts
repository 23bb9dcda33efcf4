import { index, pgSchema, text, timestamp } from "drizzle-orm/pg-core";

/** What the gateway itself keeps: who may call the hub. */
export const accessSchema = pgSchema("access");

/** API keys issued by `hub key create`: only a hash of the secret part is stored. */
export const apiKeys = accessSchema.table(
  "api_keys",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    secretHash: text("secret_hash").notNull(),
    role: text("role").notNull(),
    actsForKind: text("acts_for_kind"),
    actsForId: text("acts_for_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("api_keys_acts_for").on(t.actsForKind, t.actsForId)],
);
