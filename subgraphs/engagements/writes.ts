import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { actsFor } from "../../lib/authorization.js";
import type { Database, Transaction } from "../../lib/database.js";
import { notFound, userError } from "../../lib/graphql/errors.js";
import type { Identity } from "../../lib/identity.js";
import type { EngagementInput } from "./inputs/engagement.js";
import {
  engagementChanges,
  engagementPlatforms,
  engagements,
  indicators,
  measurements,
} from "./tables.js";
import type { EngagementRow, EngagementStatus, MeasurementRow } from "./types.js";
import { canMove } from "./workflow.js";

/** Who made a change, for the audit trail: the caller's key or token subject. */
const agentOf = (identity: Identity) => identity.subject ?? "anonymous";

/** Records an engagement, the platforms it names and the first line of its audit trail, together. */
export function recordEngagement(
  db: Database,
  input: EngagementInput,
  identity: Identity,
): Promise<EngagementRow> {
  const id = randomUUID();
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(engagements)
      .values({
        id,
        collectiviteId: input.collectiviteId,
        title: input.title,
        description: input.description ?? null,
        theme: input.theme ?? null,
        status: input.status,
        startedOn: input.startedOn ?? null,
        source: "agent",
        sourceUrl: input.sourceUrl ?? null,
      })
      .returning();
    const slugs = [...new Set(input.platformSlugs)];
    if (slugs.length)
      await tx
        .insert(engagementPlatforms)
        .values(slugs.map((platformSlug) => ({ engagementId: id, platformSlug })));
    await tx.insert(engagementChanges).values({
      engagementId: id,
      agentId: agentOf(identity),
      field: "created",
      toValue: input.status,
    });
    return created!;
  });
}

/** The engagement, locked and checked to belong to the collectivité the agent acts for. */
async function engagementOf(
  tx: Transaction,
  id: string,
  identity: Identity,
): Promise<EngagementRow> {
  const [engagement] = await tx
    .select()
    .from(engagements)
    .where(eq(engagements.id, id))
    .for("update");
  if (!engagement) throw notFound(`Engagement inconnu : « ${id} ».`);
  if (!actsFor(identity, "collectivite", engagement.collectiviteId)) {
    throw userError("FORBIDDEN", "Un agent ne modifie que les engagements de sa collectivité.");
  }
  return engagement;
}

/** Moves an engagement to another status and records it in its audit trail, or writes nothing. */
export function changeEngagementStatus(
  db: Database,
  engagementId: string,
  status: EngagementStatus,
  comment: string | null,
  identity: Identity,
): Promise<EngagementRow> {
  return db.transaction(async (tx) => {
    const engagement = await engagementOf(tx, engagementId, identity);
    const from = engagement.status as EngagementStatus;
    if (!canMove(from, status)) {
      throw userError("ILLEGAL_TRANSITION", `Un engagement ne passe pas de ${from} à ${status}.`, {
        from,
        to: status,
      });
    }
    const [updated] = await tx
      .update(engagements)
      .set({ status, updatedAt: new Date() })
      .where(eq(engagements.id, engagementId))
      .returning();
    await tx.insert(engagementChanges).values({
      engagementId,
      agentId: agentOf(identity),
      field: "status",
      fromValue: from,
      toValue: status,
      comment,
    });
    return updated!;
  });
}

export interface MeasurementRequest {
  indicatorId: string;
  measuredOn: string;
  value: number;
  /** Must be the indicator's: a value in another unit is refused, not converted. */
  unit: string;
}

/** Adds a measurement of an indicator, one per date. */
export function addMeasurement(
  db: Database,
  { indicatorId, measuredOn, value, unit }: MeasurementRequest,
  identity: Identity,
): Promise<MeasurementRow> {
  return db.transaction(async (tx) => {
    const [indicator] = await tx
      .select()
      .from(indicators)
      .where(eq(indicators.id, indicatorId))
      .for("update");
    if (!indicator) throw notFound(`Indicateur inconnu : « ${indicatorId} ».`);
    if (unit !== indicator.unit) {
      throw userError(
        "UNIT_MISMATCH",
        `L'indicateur se mesure en « ${indicator.unit} », pas en « ${unit} ».`,
        { expected: indicator.unit },
      );
    }
    const [created] = await tx
      .insert(measurements)
      .values({ indicatorId, measuredOn, value, recordedBy: agentOf(identity) })
      .onConflictDoNothing({ target: [measurements.indicatorId, measurements.measuredOn] })
      .returning();
    if (!created)
      throw userError("DUPLICATE_MEASUREMENT", `Une mesure existe déjà pour le ${measuredOn}.`, {
        measuredOn,
      });
    return created;
  });
}
