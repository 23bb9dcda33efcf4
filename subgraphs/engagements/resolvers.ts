import "reflect-metadata";
import { randomUUID } from "node:crypto";
import { asc, count, eq, type SQL, sql } from "drizzle-orm";
import { GraphQLLocalDate } from "graphql-scalars";
import {
  Arg,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  Float,
  ID,
  InputType,
  Mutation,
  Query,
  Resolver,
  Root,
} from "type-graphql";
import { actsFor } from "../../lib/authorization.js";
import type { Database } from "../../lib/database.js";
import { Fact } from "../../lib/facts/fact.js";
import type { FactRow } from "../../lib/facts/table.js";
import { CACHE_SECONDS, CacheFor } from "../../lib/graphql/cache.js";
import { badUserInput, notFound, userError } from "../../lib/graphql/errors.js";
import { CountByKey } from "../../lib/graphql/stats.js";
import type { Identity } from "../../lib/identity.js";
import type { SubgraphContext } from "../../lib/subgraph.js";
import { parisDate } from "../../lib/time.js";

import type { EngagementsLoaders } from "./loaders.js";
import {
  callsForInterest,
  challenges,
  collectivites,
  engagementChanges,
  engagementPlatforms,
  engagements,
  indicators,
  manifestos,
  measurements,
  parcours,
} from "./tables.js";
import {
  CallForInterest,
  type CallForInterestRow,
  Challenge,
  type ChallengeRow,
  Collectivite,
  type CollectiviteRow,
  Engagement,
  EngagementChange,
  EngagementGrouping,
  type EngagementRow,
  EngagementStatus,
  Indicator,
  type IndicatorRow,
  Manifesto,
  type ManifestoRow,
  Measurement,
  type MeasurementRow,
  OrganizationRef,
  Parcours,
  type ParcoursRow,
  PlatformRef,
  TerritoryRef,
} from "./types.js";
import { canMove } from "./workflow.js";

type Context = SubgraphContext<EngagementsLoaders>;

/** Who made a change, for the audit trail: the caller's key or token subject. */
const agentOf = (identity: Identity) => identity.subject ?? "anonymous";

const PLATFORM_SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

function checkUrl(url: string | null | undefined): string | null {
  if (url == null) return null;
  try {
    const parsed = new URL(url);
    if (parsed.protocol === "https:" || parsed.protocol === "http:") return parsed.toString();
  } catch {
    // reported below
  }
  throw badUserInput(`URL de source invalide : « ${url} ».`, { argument: "sourceUrl" });
}

@Resolver(() => Collectivite)
export class CollectiviteResolver {
  @Query(() => Collectivite, {
    nullable: true,
    description: "A collectivité by its id (`mel`, `lomme`...); null when unknown.",
  })
  collectivite(@Arg("id", () => ID) id: string, @Ctx() { loaders }: Context) {
    return loaders.collectivite.load(id);
  }

  @CacheFor(CACHE_SECONDS.listing)
  @Query(() => [Collectivite], {
    description: "Every collectivité engaged in the programme, by name.",
  })
  collectivites(@Ctx() { db }: Context) {
    return db.select().from(collectivites).orderBy(asc(collectivites.name));
  }

  @FieldResolver(() => TerritoryRef, {
    description: "The collectivité's territory (from the directory).",
  })
  territory(@Root() collectivite: CollectiviteRow): TerritoryRef {
    return { id: collectivite.territoryId };
  }

  @FieldResolver(() => [Engagement])
  engagements(@Root() collectivite: CollectiviteRow, @Ctx() { loaders }: Context) {
    return loaders.engagementsOf.load(collectivite.id);
  }

  @FieldResolver(() => [Fact], {
    description:
      "Where its values come from (`url`...); its population is its territory's (`territory { population }`).",
  })
  facts(@Root() collectivite: CollectiviteRow, @Ctx() { loaders }: Context): Promise<FactRow[]> {
    return loaders.factsOfCollectivite.load(collectivite.id);
  }
}

@Resolver(() => TerritoryRef)
export class TerritoryEngagementsResolver {
  @FieldResolver(() => [Collectivite], {
    description: "Collectivités whose territory is this one or contains it.",
  })
  collectivites(@Root() territory: TerritoryRef, @Ctx() { loaders }: Context) {
    return loaders.collectivitesCovering.load(territory.id);
  }

  @FieldResolver(() => [Engagement], {
    description: "Engagements of those collectivités: the MEL's appear on Lomme's page.",
  })
  engagements(@Root() territory: TerritoryRef, @Ctx() { loaders }: Context) {
    return loaders.engagementsCovering.load(territory.id);
  }
}

@Resolver(() => PlatformRef)
export class PlatformEngagementsResolver {
  @FieldResolver(() => [Engagement], {
    description: "Engagements of collectivités naming this platform.",
  })
  supportedBy(@Root() platform: PlatformRef, @Ctx() { loaders }: Context) {
    return loaders.engagementsSupporting.load(platform.slug);
  }
}

@InputType({ description: "A new engagement of a collectivité." })
class EngagementInput {
  @Field(() => ID)
  collectiviteId!: string;

  @Field(() => String)
  title!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => String, { nullable: true, description: "A theme slug of the directory." })
  theme?: string | null;

  @Field(() => [ID], { description: "Slugs of the directory's platforms it is about." })
  platformSlugs!: string[];

  @Field(() => EngagementStatus, { defaultValue: EngagementStatus.EXPLORING })
  status!: EngagementStatus;

  @Field(() => GraphQLLocalDate, { nullable: true })
  startedOn?: string | null;

  @Field(() => String, { nullable: true, description: "URL of the public text that states it." })
  sourceUrl?: string | null;
}

/** The engagement, checked to belong to the collectivité the agent acts for. */
async function engagementOf(db: Database, id: string, identity: Identity): Promise<EngagementRow> {
  const [engagement] = await db
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

@Resolver(() => Engagement)
export class EngagementResolver {
  @Query(() => Engagement, { nullable: true })
  engagement(@Arg("id", () => ID) id: string, @Ctx() { loaders }: Context) {
    return loaders.engagement.load(id);
  }

  @FieldResolver(() => Collectivite)
  collectivite(@Root() engagement: EngagementRow, @Ctx() { loaders }: Context) {
    return loaders.collectivite.load(engagement.collectiviteId);
  }

  @FieldResolver(() => [PlatformRef], { description: "The directory's platforms it is about." })
  platforms(@Root() engagement: EngagementRow, @Ctx() { loaders }: Context) {
    return loaders.platformsOf.load(engagement.id);
  }

  @FieldResolver(() => [EngagementChange], {
    description: "Audit trail: who changed what, and when, oldest first.",
  })
  history(@Root() engagement: EngagementRow, @Ctx() { loaders }: Context) {
    return loaders.changesOf.load(engagement.id);
  }

  @Authorized("collectivite_agent")
  @Mutation(() => Engagement, {
    description: "Records an engagement of the collectivité the caller is an agent of.",
  })
  async recordEngagement(
    @Arg("input", () => EngagementInput) input: EngagementInput,
    @Ctx() { db, loaders, identity }: Context,
  ): Promise<EngagementRow> {
    const title = input.title.trim();
    if (title.length < 3 || title.length > 200)
      throw badUserInput("Le titre doit faire entre 3 et 200 caractères.", {
        argument: "input.title",
      });
    const badSlug = input.platformSlugs.find((slug) => !PLATFORM_SLUG.test(slug));
    if (badSlug !== undefined)
      throw badUserInput(`Identifiant de plateforme invalide : « ${badSlug} ».`, {
        argument: "input.platformSlugs",
      });
    if (input.startedOn && input.startedOn > parisDate())
      throw badUserInput("La date de début ne peut pas être dans le futur.", {
        argument: "input.startedOn",
      });
    const sourceUrl = checkUrl(input.sourceUrl);
    if (!(await loaders.collectivite.load(input.collectiviteId)))
      throw notFound(`Collectivité inconnue : « ${input.collectiviteId} ».`);
    if (!actsFor(identity, "collectivite", input.collectiviteId))
      throw userError("FORBIDDEN", "Un agent n'engage que sa propre collectivité.");

    const id = randomUUID();
    return db.transaction(async (tx) => {
      const [created] = await tx
        .insert(engagements)
        .values({
          id,
          collectiviteId: input.collectiviteId,
          title,
          description: input.description ?? null,
          theme: input.theme ?? null,
          status: input.status,
          startedOn: input.startedOn ?? null,
          source: "agent",
          sourceUrl,
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

  @Authorized("collectivite_agent")
  @Mutation(() => Engagement, {
    description:
      "Moves an engagement of the caller's collectivité to another status, recorded in its audit trail.",
  })
  async changeEngagementStatus(
    @Arg("engagementId", () => ID) engagementId: string,
    @Arg("status", () => EngagementStatus) status: EngagementStatus,
    @Arg("comment", () => String, { nullable: true }) comment: string | null,
    @Ctx() { db, identity }: Context,
  ): Promise<EngagementRow> {
    return db.transaction(async (tx) => {
      const engagement = await engagementOf(tx as unknown as Database, engagementId, identity);
      const from = engagement.status as EngagementStatus;
      if (!canMove(from, status)) {
        throw userError(
          "ILLEGAL_TRANSITION",
          `Un engagement ne passe pas de ${from} à ${status}.`,
          { from, to: status },
        );
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
}

@Resolver(() => Parcours)
export class ParcoursResolver {
  @CacheFor(CACHE_SECONDS.listing)
  @Query(() => [Parcours], { description: "The editions of the qualification parcours." })
  parcours(@Ctx() { db }: Context): Promise<ParcoursRow[]> {
    return db.select().from(parcours).orderBy(asc(parcours.edition));
  }

  @FieldResolver(() => [OrganizationRef], {
    description: "Who ran it (organizations of the directory).",
  })
  async facilitators(@Root() row: ParcoursRow, @Ctx() { loaders }: Context) {
    return loaders.facilitatorsOf.load(row.id);
  }

  @FieldResolver(() => [Collectivite])
  async participants(@Root() row: ParcoursRow, @Ctx() { loaders }: Context) {
    return loadCollectivites(loaders, await loaders.participantsOf.load(row.id));
  }
}

async function loadCollectivites(
  loaders: EngagementsLoaders,
  refs: { id: string }[],
): Promise<CollectiviteRow[]> {
  const rows = await loaders.collectivite.loadMany(refs.map((r) => r.id));
  return rows
    .filter((row): row is CollectiviteRow => row !== null && !(row instanceof Error))
    .sort((a, b) => a.name.localeCompare(b.name, "fr"));
}

@Resolver(() => Manifesto)
export class ManifestoResolver {
  @CacheFor(CACHE_SECONDS.listing)
  @Query(() => Manifesto, {
    nullable: true,
    description: "The manifesto of public actors for cooperative platforms.",
  })
  async manifesto(@Ctx() { db }: Context): Promise<ManifestoRow | null> {
    const [row] = await db.select().from(manifestos).orderBy(asc(manifestos.id)).limit(1);
    return row ?? null;
  }

  @FieldResolver(() => [Collectivite])
  async signatories(@Root() row: ManifestoRow, @Ctx() { loaders }: Context) {
    return loadCollectivites(loaders, await loaders.signatoriesOf.load(row.id));
  }
}

@Resolver(() => CallForInterest)
export class CallForInterestResolver {
  @CacheFor(CACHE_SECONDS.listing)
  @Query(() => [CallForInterest], {
    description: "The programme's AMIs (appels à manifestation d'intérêt).",
  })
  callsForInterest(@Ctx() { db }: Context): Promise<CallForInterestRow[]> {
    return db
      .select()
      .from(callsForInterest)
      .orderBy(asc(callsForInterest.year), asc(callsForInterest.id));
  }

  @FieldResolver(() => [Collectivite], { description: "The collectivités it selected." })
  async selected(@Root() row: CallForInterestRow, @Ctx() { loaders }: Context) {
    return loadCollectivites(loaders, await loaders.selectedBy.load(row.id));
  }
}

@Resolver(() => Challenge)
export class ChallengeResolver {
  @CacheFor(CACHE_SECONDS.catalogue)
  @Query(() => [Challenge], { description: "The défis citoyens and their indicators." })
  challenges(@Ctx() { db }: Context): Promise<ChallengeRow[]> {
    return db.select().from(challenges).orderBy(asc(challenges.title));
  }

  @FieldResolver(() => [OrganizationRef])
  organizers(@Root() row: ChallengeRow, @Ctx() { loaders }: Context) {
    return loaders.organizersOf.load(row.id);
  }

  @FieldResolver(() => [Indicator])
  indicators(@Root() row: ChallengeRow, @Ctx() { loaders }: Context) {
    return loaders.indicatorsOf.load(row.id);
  }
}

function currentValueOf(indicator: IndicatorRow, series: MeasurementRow[]): number | null {
  return series.at(-1)?.value ?? indicator.baseline;
}

@Resolver(() => Indicator)
export class IndicatorResolver {
  @FieldResolver(() => [Measurement], { description: "Measurements, oldest first." })
  measurements(@Root() row: IndicatorRow, @Ctx() { loaders }: Context) {
    return loaders.measurementsOf.load(row.id);
  }

  @FieldResolver(() => Float, {
    nullable: true,
    description: "The latest measurement, or the baseline before any.",
  })
  async currentValue(
    @Root() row: IndicatorRow,
    @Ctx() { loaders }: Context,
  ): Promise<number | null> {
    return currentValueOf(row, await loaders.measurementsOf.load(row.id));
  }

  @FieldResolver(() => Float, {
    nullable: true,
    description:
      "Share of the way from baseline to target (0 to 1 and beyond); null without a target.",
  })
  async progress(@Root() row: IndicatorRow, @Ctx() { loaders }: Context): Promise<number | null> {
    const current = currentValueOf(row, await loaders.measurementsOf.load(row.id));
    if (row.target === null || current === null) return null;
    const baseline = row.baseline ?? 0;
    return row.target === baseline ? null : (current - baseline) / (row.target - baseline);
  }

  @Authorized("collectivite_agent")
  @Mutation(() => Measurement, {
    description:
      "Adds a measurement of an indicator: in its unit, dated today or earlier, one per date.",
  })
  async addIndicatorMeasurement(
    @Arg("indicatorId", () => ID) indicatorId: string,
    @Arg("measuredOn", () => GraphQLLocalDate) measuredOn: string,
    @Arg("value", () => Float) value: number,
    @Arg("unit", () => String, {
      description:
        "Must be the indicator's unit: a value in another unit is refused, not converted.",
    })
    unit: string,
    @Ctx() { db, identity }: Context,
  ): Promise<MeasurementRow> {
    if (!Number.isFinite(value) || value < 0)
      throw badUserInput("La valeur doit être un nombre positif ou nul.", { argument: "value" });
    if (measuredOn > parisDate())
      throw badUserInput("Une mesure ne peut pas être datée dans le futur.", {
        argument: "measuredOn",
      });
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
}

@Resolver()
export class EngagementStatsResolver {
  @CacheFor(CACHE_SECONDS.catalogue)
  @Query(() => [CountByKey], {
    description: "Engagements counted by status, theme, collectivité or platform.",
  })
  async engagementSummary(
    @Arg("groupBy", () => EngagementGrouping) groupBy: EngagementGrouping,
    @Ctx() { db }: Context,
  ): Promise<CountByKey[]> {
    const key: SQL<string> = {
      STATUS: sql<string>`${engagements.status}`,
      THEME: sql<string>`coalesce(${engagements.theme}, 'sans thème')`,
      COLLECTIVITE: sql<string>`${engagements.collectiviteId}`,
      PLATFORM: sql<string>`${engagementPlatforms.platformSlug}`,
    }[groupBy];
    const base = db.select({ key, count: count() }).from(engagements);
    const joined =
      groupBy === EngagementGrouping.PLATFORM
        ? base.innerJoin(engagementPlatforms, eq(engagementPlatforms.engagementId, engagements.id))
        : base;
    return joined.groupBy(key).orderBy(key);
  }
}
