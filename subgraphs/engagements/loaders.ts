import { asc, eq, inArray, type SQL } from "drizzle-orm";
import type { Database } from "../../lib/database.js";
import { factsOfType } from "../../lib/facts/loader.js";
import { createRequestBatch } from "../../lib/graphql/batch.js";
import { jsonRows } from "../../lib/graphql/json-rows.js";
import { byKey, groupedBy } from "../../lib/graphql/loaders.js";
import { coveringLoader } from "../../lib/graphql/territory-loaders.js";
import type { SubgraphContext } from "../../lib/subgraph.js";
import {
  callSelections,
  challengeOrganizers,
  collectivites,
  engagementChanges,
  engagementPlatforms,
  engagements,
  facts,
  indicators,
  manifestoSignatories,
  measurements,
  parcoursFacilitators,
  parcoursParticipants,
} from "./tables.js";
import type {
  CollectiviteRow,
  EngagementChangeRow,
  EngagementRow,
  IndicatorRow,
  MeasurementRow,
} from "./types.js";

export function createLoaders(db: Database) {
  const batch = createRequestBatch(db);
  const { select } = batch;
  const collectivite = byKey<CollectiviteRow>(
    batch,
    (ids) => select(db.select().from(collectivites).where(inArray(collectivites.id, ids))),
    (c) => c.id,
  );
  /** The platforms the engagements `which` picks name: one query for the loader and for the lists that prime it. */
  const platformsWhere = (which: SQL) =>
    db
      .select({ slug: engagementPlatforms.platformSlug, owner: engagementPlatforms.engagementId })
      .from(engagementPlatforms)
      .where(which)
      .orderBy(asc(engagementPlatforms.platformSlug));
  const platformsOf = groupedBy<{ slug: string }>(batch, (ids) =>
    select(platformsWhere(inArray(engagementPlatforms.engagementId, ids))),
  );
  /** Rows read in a list prime the loaders their fields read (`engagement.collectivite`), so that those cost no statement. */
  const known = (row: CollectiviteRow) => {
    collectivite.prime(row.id, row);
    return row;
  };
  return {
    /** A select in this turn's statement: a root list and its count go out together. */
    select,
    collectivite,
    factsOfCollectivite: factsOfType(batch, db, facts, "collectivite").loader,
    engagement: byKey<EngagementRow>(
      batch,
      (ids) => select(db.select().from(engagements).where(inArray(engagements.id, ids))),
      (e) => e.id,
    ),

    /** Collectivités whose territory is this one or contains it: the MEL and Lomme on Lomme's page. */
    collectivitesCovering: coveringLoader<CollectiviteRow>(
      batch,
      (territoryIds) =>
        select(
          db
            .select()
            .from(collectivites)
            .where(inArray(collectivites.territoryId, territoryIds))
            .orderBy(asc(collectivites.name)),
        ).then((rows) => rows.map(known)),
      (row) => row.territoryId,
    ),

    /**
     * Engagements of those collectivités, by collectivité then title, each read with its
     * collectivité and platforms in the same statement (both primed for the fields that show them).
     */
    engagementsCovering: coveringLoader<EngagementRow & { territoryId: string }>(
      batch,
      (territoryIds) =>
        select(
          db
            .select({
              engagement: engagements,
              collectivite: collectivites,
              platforms: jsonRows(
                platformsWhere(eq(engagementPlatforms.engagementId, engagements.id)),
              ),
            })
            .from(engagements)
            .innerJoin(collectivites, eq(collectivites.id, engagements.collectiviteId))
            .where(inArray(collectivites.territoryId, territoryIds))
            .orderBy(asc(collectivites.name), asc(collectivites.id), asc(engagements.title)),
        ).then((rows) =>
          rows.map(({ engagement, collectivite: owner, platforms }) => {
            known(owner);
            platformsOf.prime(engagement.id, platforms);
            return { ...engagement, territoryId: owner.territoryId };
          }),
        ),
      (row) => row.territoryId,
    ),

    engagementsOf: groupedBy<EngagementRow>(batch, (ids) =>
      select(
        db
          .select({ engagement: engagements, owner: engagements.collectiviteId })
          .from(engagements)
          .where(inArray(engagements.collectiviteId, ids))
          .orderBy(asc(engagements.title)),
      ).then((rows) => rows.map(({ engagement, owner }) => ({ ...engagement, owner }))),
    ),
    /** Engagements naming each platform, each read with its collectivité (primed for `engagement.collectivite`). */
    engagementsSupporting: groupedBy<EngagementRow>(batch, (slugs) =>
      select(
        db
          .select({
            engagement: engagements,
            collectivite: collectivites,
            owner: engagementPlatforms.platformSlug,
          })
          .from(engagementPlatforms)
          .innerJoin(engagements, eq(engagements.id, engagementPlatforms.engagementId))
          .innerJoin(collectivites, eq(collectivites.id, engagements.collectiviteId))
          .where(inArray(engagementPlatforms.platformSlug, slugs))
          .orderBy(asc(engagements.title)),
      ).then((rows) =>
        rows.map(({ engagement, collectivite: by, owner }) => {
          known(by);
          return { ...engagement, owner };
        }),
      ),
    ),
    platformsOf,
    changesOf: groupedBy<EngagementChangeRow>(batch, (ids) =>
      select(
        db
          .select({ change: engagementChanges, owner: engagementChanges.engagementId })
          .from(engagementChanges)
          .where(inArray(engagementChanges.engagementId, ids))
          .orderBy(asc(engagementChanges.changedAt), asc(engagementChanges.id)),
      ).then((rows) => rows.map(({ change, owner }) => ({ ...change, owner }))),
    ),

    facilitatorsOf: groupedBy<{ id: string }>(batch, (ids) =>
      select(
        db
          .select({
            id: parcoursFacilitators.organizationId,
            owner: parcoursFacilitators.parcoursId,
          })
          .from(parcoursFacilitators)
          .where(inArray(parcoursFacilitators.parcoursId, ids)),
      ),
    ),
    participantsOf: groupedBy<{ id: string }>(batch, (ids) =>
      select(
        db
          .select({
            id: parcoursParticipants.collectiviteId,
            owner: parcoursParticipants.parcoursId,
          })
          .from(parcoursParticipants)
          .where(inArray(parcoursParticipants.parcoursId, ids)),
      ),
    ),
    signatoriesOf: groupedBy<{ id: string }>(batch, (ids) =>
      select(
        db
          .select({
            id: manifestoSignatories.collectiviteId,
            owner: manifestoSignatories.manifestoId,
          })
          .from(manifestoSignatories)
          .where(inArray(manifestoSignatories.manifestoId, ids)),
      ),
    ),
    selectedBy: groupedBy<{ id: string }>(batch, (ids) =>
      select(
        db
          .select({ id: callSelections.collectiviteId, owner: callSelections.callId })
          .from(callSelections)
          .where(inArray(callSelections.callId, ids)),
      ),
    ),
    organizersOf: groupedBy<{ id: string }>(batch, (ids) =>
      select(
        db
          .select({
            id: challengeOrganizers.organizationId,
            owner: challengeOrganizers.challengeId,
          })
          .from(challengeOrganizers)
          .where(inArray(challengeOrganizers.challengeId, ids)),
      ),
    ),
    indicatorsOf: groupedBy<IndicatorRow>(batch, (ids) =>
      select(
        db
          .select({ indicator: indicators, owner: indicators.challengeId })
          .from(indicators)
          .where(inArray(indicators.challengeId, ids))
          .orderBy(asc(indicators.label)),
      ).then((rows) => rows.map(({ indicator, owner }) => ({ ...indicator, owner }))),
    ),
    measurementsOf: groupedBy<MeasurementRow>(batch, (ids) =>
      select(
        db
          .select({ measurement: measurements, owner: measurements.indicatorId })
          .from(measurements)
          .where(inArray(measurements.indicatorId, ids))
          .orderBy(asc(measurements.measuredOn)),
      ).then((rows) => rows.map(({ measurement, owner }) => ({ ...measurement, owner }))),
    ),
  };
}

export type EngagementsLoaders = ReturnType<typeof createLoaders>;

/** What every resolver of engagements receives. */
export type Context = SubgraphContext<EngagementsLoaders>;
