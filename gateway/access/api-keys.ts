import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { and, asc, eq, isNull } from "drizzle-orm";
import type { Database } from "../../lib/database.js";
import {
  ACTS_FOR_KINDS,
  type ActsForKind,
  type Identity,
  ROLES,
  type Role,
} from "../../lib/identity.js";
import { apiKeys } from "./tables.js";

const PREFIX = "hub";

export interface NewApiKey {
  name: string;
  role: Exclude<Role, "anonymous">;
  actsFor?: { kind: ActsForKind; id: string } | null;
}

const hashOf = (secret: string) => createHash("sha256").update(secret).digest("hex");

/** Issues a key `hub_<id>_<secret>`; the key is shown once, only its hash is kept. */
export async function createApiKey(
  db: Database,
  { name, role, actsFor = null }: NewApiKey,
): Promise<{ id: string; key: string }> {
  if (!(ROLES as readonly string[]).includes(role) || (role as string) === "anonymous")
    throw new Error(`Unknown role "${role}" (${ROLES.slice(1).join(", ")})`);
  if (actsFor && !(ACTS_FOR_KINDS as readonly string[]).includes(actsFor.kind))
    throw new Error(`Unknown kind "${actsFor.kind}" (${ACTS_FOR_KINDS.join(", ")})`);
  const id = randomBytes(6).toString("hex");
  const secret = randomBytes(32).toString("base64url");
  await db.insert(apiKeys).values({
    id,
    name,
    role,
    secretHash: hashOf(secret),
    actsForKind: actsFor?.kind ?? null,
    actsForId: actsFor?.id ?? null,
  });
  return { id, key: `${PREFIX}_${id}_${secret}` };
}

export function looksLikeApiKey(credential: string): boolean {
  return credential.startsWith(`${PREFIX}_`);
}

/** The identity of a key, or null when it is unknown, revoked or does not match. */
export async function identityOfApiKey(db: Database, key: string): Promise<Identity | null> {
  const [, id, secret] = /^hub_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/.exec(key) ?? [];
  if (!id || !secret) return null;
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)));
  if (!row) return null;
  const expected = Buffer.from(row.secretHash, "hex");
  if (!timingSafeEqual(expected, Buffer.from(hashOf(secret), "hex"))) return null;
  return {
    role: row.role as Role,
    subject: `key:${row.id}`,
    actsFor:
      row.actsForKind && row.actsForId
        ? { kind: row.actsForKind as ActsForKind, id: row.actsForId }
        : null,
  };
}

export async function revokeApiKey(db: Database, id: string): Promise<boolean> {
  const revoked = await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return revoked.length > 0;
}

export function listApiKeys(db: Database) {
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      role: apiKeys.role,
      actsForKind: apiKeys.actsForKind,
      actsForId: apiKeys.actsForId,
      createdAt: apiKeys.createdAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .orderBy(asc(apiKeys.createdAt));
}
