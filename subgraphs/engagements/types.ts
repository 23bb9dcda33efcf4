import "reflect-metadata";
import { GraphQLDateTime, GraphQLLocalDate } from "graphql-scalars";
import { Directive, Field, Float, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { CACHE_SECONDS, CacheFor } from "../../lib/graphql/cache.js";
import type {
  callsForInterest,
  challenges,
  collectivites,
  engagementChanges,
  engagements,
  indicators,
  manifestos,
  measurements,
  parcours,
} from "./tables.js";

export type CollectiviteRow = typeof collectivites.$inferSelect;
export type EngagementRow = typeof engagements.$inferSelect;
export type EngagementChangeRow = typeof engagementChanges.$inferSelect;
export type ParcoursRow = typeof parcours.$inferSelect;
export type ManifestoRow = typeof manifestos.$inferSelect;
export type CallForInterestRow = typeof callsForInterest.$inferSelect;
export type ChallengeRow = typeof challenges.$inferSelect;
export type IndicatorRow = typeof indicators.$inferSelect;
export type MeasurementRow = typeof measurements.$inferSelect;

export enum CollectiviteKind {
  METROPOLE = "METROPOLE",
  COMMUNAUTE_URBAINE = "COMMUNAUTE_URBAINE",
  COMMUNAUTE_AGGLOMERATION = "COMMUNAUTE_AGGLOMERATION",
  COMMUNAUTE_COMMUNES = "COMMUNAUTE_COMMUNES",
  COMMUNE = "COMMUNE",
  COMMUNE_ASSOCIEE = "COMMUNE_ASSOCIEE",
}
registerEnumType(CollectiviteKind, {
  name: "CollectiviteKind",
  description: "Nature of a collectivité (métropole, communauté d'agglomération, commune...).",
});

export enum EngagementStatus {
  EXPLORING = "EXPLORING",
  PLANNED = "PLANNED",
  LIVE = "LIVE",
  ABANDONED = "ABANDONED",
}
registerEnumType(EngagementStatus, {
  name: "EngagementStatus",
  valuesConfig: {
    EXPLORING: { description: "Being studied: solutions evaluated, no decision yet." },
    PLANNED: { description: "Decided or in a roadmap, not running yet." },
    LIVE: { description: "Running on the territory." },
    ABANDONED: { description: "Given up; can be reopened (back to EXPLORING)." },
  },
});

export enum EngagementGrouping {
  STATUS = "STATUS",
  THEME = "THEME",
  COLLECTIVITE = "COLLECTIVITE",
  PLATFORM = "PLATFORM",
}
registerEnumType(EngagementGrouping, { name: "EngagementGrouping" });

/** Entities of other subgraphs, by key only: the gateway fetches the rest from their owner. */
@ObjectType("Territory")
@Directive('@key(fields: "id")')
@CacheFor(CACHE_SECONDS.listing)
export class TerritoryRef {
  @Field(() => ID)
  id!: string;
}

@ObjectType("Platform")
@Directive('@key(fields: "slug")')
@CacheFor(CACHE_SECONDS.listing)
export class PlatformRef {
  @Field(() => ID)
  slug!: string;
}

@ObjectType("Organization")
@Directive('@key(fields: "id")')
@CacheFor(CACHE_SECONDS.listing)
export class OrganizationRef {
  @Field(() => ID)
  id!: string;
}

@ObjectType({ description: "A collectivité (local authority) engaged with cooperative platforms." })
@Directive('@key(fields: "id")')
@CacheFor(CACHE_SECONDS.listing)
export class Collectivite {
  @Field(() => ID, { description: "A readable id: `mel`, `lomme`, `libercourt`..." })
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => CollectiviteKind)
  kind!: CollectiviteKind;

  @Field(() => String, {
    nullable: true,
    description: "Its own SIREN; null for a commune associée, which has none.",
  })
  siren!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Its official site, when a public page states it (see `facts`).",
  })
  url!: string | null;

  @Field(() => String, { description: "Where this record comes from." })
  source!: string;
}

@ObjectType({ description: "One change in an engagement's audit trail." })
export class EngagementChange {
  @Field(() => String, { description: "The field changed: `status`, `created`..." })
  field!: string;

  @Field(() => String, { nullable: true })
  fromValue!: string | null;

  @Field(() => String, { nullable: true })
  toValue!: string | null;

  @Field(() => String, {
    description:
      "Who made the change: the id of the agent's API key (`key:…`) or token subject (`jwt:…`).",
  })
  agentId!: string;

  @Field(() => String, { nullable: true })
  comment!: string | null;

  @Field(() => GraphQLDateTime)
  changedAt!: Date;
}

@ObjectType({ description: "A collectivité's commitment about cooperative platforms on a theme." })
@Directive('@key(fields: "id")')
@CacheFor(CACHE_SECONDS.catalogue)
export class Engagement {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  title!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "A theme slug of the directory (`se-nourrir`, `echanger`...).",
  })
  theme!: string | null;

  @Field(() => EngagementStatus)
  status!: EngagementStatus;

  @Field(() => GraphQLLocalDate, { nullable: true })
  startedOn!: string | null;

  @Field(() => String, {
    description:
      "Who says so: `apes-plateformcoop` for the Apes' public texts on PlateformCoop, `agent` when recorded here.",
  })
  source!: string;

  @Field(() => String, {
    nullable: true,
    description: "URL of the public text it comes from, when there is one.",
  })
  sourceUrl!: string | null;

  @Field(() => GraphQLDateTime)
  updatedAt!: Date;
}

@ObjectType({ description: "An edition of the Apes' qualification parcours for collectivités." })
@CacheFor(CACHE_SECONDS.listing)
export class Parcours {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  title!: string;

  @Field(() => Int)
  edition!: number;

  @Field(() => String, { description: "`parcours` (workshops) or `MOOC`." })
  format!: string;

  @Field(() => String, { nullable: true, description: "Month it started (`YYYY-MM`), when known." })
  startedIn!: string | null;
}

@ObjectType({
  description:
    'The manifesto "Les acteurs publics s\'engagent aux côtés des plateformes coopératives".',
})
@CacheFor(CACHE_SECONDS.listing)
export class Manifesto {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  title!: string;

  @Field(() => GraphQLLocalDate, {
    nullable: true,
    description: "Null while the signing date is not verified.",
  })
  signedOn!: string | null;
}

@ObjectType({ description: "An appel à manifestation d'intérêt (AMI) of the programme." })
@CacheFor(CACHE_SECONDS.listing)
export class CallForInterest {
  @Field(() => ID)
  id!: string;

  @Field(() => Int)
  year!: number;

  @Field(() => String, {
    description: "What it called for: the parcours, a territoire d'expérimentation...",
  })
  kind!: string;

  @Field(() => String)
  title!: string;
}

@ObjectType({ description: "A measurement of an indicator on a date." })
@CacheFor(CACHE_SECONDS.catalogue)
export class Measurement {
  @Field(() => GraphQLLocalDate)
  measuredOn!: string;

  @Field(() => Float)
  value!: number;
}

@ObjectType({
  description: "An indicator of a défi citoyen: where it starts, where it aims, what was measured.",
})
@CacheFor(CACHE_SECONDS.catalogue)
export class Indicator {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  label!: string;

  @Field(() => String)
  unit!: string;

  @Field(() => Float, { nullable: true })
  baseline!: number | null;

  @Field(() => Float, { nullable: true, description: "Null while the target is not public." })
  target!: number | null;

  @Field(() => String, { description: "`placeholder` while the indicator is not verified." })
  source!: string;
}

@ObjectType({ description: "A défi citoyen (citizen challenge) with its indicators." })
@CacheFor(CACHE_SECONDS.catalogue)
export class Challenge {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  title!: string;

  @Field(() => String)
  description!: string;

  @Field(() => String, { description: "`placeholder` while its facts are not public." })
  source!: string;
}
