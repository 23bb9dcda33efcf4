import { asc, eq, inArray } from "drizzle-orm";
import type { Database } from "../../lib/database.js";
import { byKey, groupedBy } from "../../lib/graphql/loaders.js";
import { coveringLoader } from "../../lib/graphql/territory-loaders.js";
import {
  callSelections,
  challengeOrganizers,
  collectivites,
  engagementChanges,
  engagementPlatforms,
  engagements,
  indicators,
  manifestoSignatories,
  measurements,
  parcoursFacilitators,
  parcoursParticipants,
} from "./tables.js";
import type { CollectiviteRow, EngagementChangeRow, EngagementRow, IndicatorRow, MeasurementRow } from "./types.js";

export function createLoaders(db: Database) {
  const collectivite = byKey<CollectiviteRow>((ids) => db.select().from(collectivites).where(inArray(collectivites.id, ids)), (c) => c.id);
  return {
    collectivite,
    engagement: byKey<EngagementRow>((ids) => db.select().from(engagements).where(inArray(engagements.id, ids)), (e) => e.id),

    /** Collectivités whose territory is this one or contains it: the MEL and Lomme on Lomme's page. */
    collectivitesCovering: coveringLoader<CollectiviteRow>(
      (territoryIds) => db.select().from(collectivites).where(inArray(collectivites.territoryId, territoryIds)).orderBy(asc(collectivites.name)),
      (row) => row.territoryId,
    ),

    engagementsOf: groupedBy<EngagementRow>((ids) =>
      db
        .select({ engagement: engagements, owner: engagements.collectiviteId })
        .from(engagements)
        .where(inArray(engagements.collectiviteId, ids))
        .orderBy(asc(engagements.title))
        .then((rows) => rows.map(({ engagement, owner }) => ({ ...engagement, owner }))),
    ),
    engagementsSupporting: groupedBy<EngagementRow>((slugs) =>
      db
        .select({ engagement: engagements, owner: engagementPlatforms.platformSlug })
        .from(engagementPlatforms)
        .innerJoin(engagements, eq(engagements.id, engagementPlatforms.engagementId))
        .where(inArray(engagementPlatforms.platformSlug, slugs))
        .orderBy(asc(engagements.title))
        .then((rows) => rows.map(({ engagement, owner }) => ({ ...engagement, owner }))),
    ),
    platformsOf: groupedBy<{ slug: string }>((ids) =>
      db
        .select({ slug: engagementPlatforms.platformSlug, owner: engagementPlatforms.engagementId })
        .from(engagementPlatforms)
        .where(inArray(engagementPlatforms.engagementId, ids))
        .orderBy(asc(engagementPlatforms.platformSlug)),
    ),
    changesOf: groupedBy<EngagementChangeRow>((ids) =>
      db
        .select({ change: engagementChanges, owner: engagementChanges.engagementId })
        .from(engagementChanges)
        .where(inArray(engagementChanges.engagementId, ids))
        .orderBy(asc(engagementChanges.changedAt), asc(engagementChanges.id))
        .then((rows) => rows.map(({ change, owner }) => ({ ...change, owner }))),
    ),

    facilitatorsOf: groupedBy<{ id: string }>((ids) =>
      db
        .select({ id: parcoursFacilitators.organizationId, owner: parcoursFacilitators.parcoursId })
        .from(parcoursFacilitators)
        .where(inArray(parcoursFacilitators.parcoursId, ids)),
    ),
    participantsOf: groupedBy<{ id: string }>((ids) =>
      db
        .select({ id: parcoursParticipants.collectiviteId, owner: parcoursParticipants.parcoursId })
        .from(parcoursParticipants)
        .where(inArray(parcoursParticipants.parcoursId, ids)),
    ),
    signatoriesOf: groupedBy<{ id: string }>((ids) =>
      db
        .select({ id: manifestoSignatories.collectiviteId, owner: manifestoSignatories.manifestoId })
        .from(manifestoSignatories)
        .where(inArray(manifestoSignatories.manifestoId, ids)),
    ),
    selectedBy: groupedBy<{ id: string }>((ids) =>
      db
        .select({ id: callSelections.collectiviteId, owner: callSelections.callId })
        .from(callSelections)
        .where(inArray(callSelections.callId, ids)),
    ),
    organizersOf: groupedBy<{ id: string }>((ids) =>
      db
        .select({ id: challengeOrganizers.organizationId, owner: challengeOrganizers.challengeId })
        .from(challengeOrganizers)
        .where(inArray(challengeOrganizers.challengeId, ids)),
    ),
    indicatorsOf: groupedBy<IndicatorRow>((ids) =>
      db
        .select({ indicator: indicators, owner: indicators.challengeId })
        .from(indicators)
        .where(inArray(indicators.challengeId, ids))
        .orderBy(asc(indicators.label))
        .then((rows) => rows.map(({ indicator, owner }) => ({ ...indicator, owner }))),
    ),
    measurementsOf: groupedBy<MeasurementRow>((ids) =>
      db
        .select({ measurement: measurements, owner: measurements.indicatorId })
        .from(measurements)
        .where(inArray(measurements.indicatorId, ids))
        .orderBy(asc(measurements.measuredOn))
        .then((rows) => rows.map(({ measurement, owner }) => ({ ...measurement, owner }))),
    ),
  };
}

export type EngagementsLoaders = ReturnType<typeof createLoaders>;

