import "reflect-metadata";
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { CACHE_SECONDS, CacheFor } from "../../lib/graphql/cache.js";
import { ConnectionType } from "../../lib/graphql/connection.js";
import type { TerritoryKindName } from "../../lib/territories.js";
import type { organizations, platforms, software, territories, themes } from "./tables.js";

export type TerritoryRow = typeof territories.$inferSelect;
export type PlatformRow = typeof platforms.$inferSelect;
export type SoftwareRow = typeof software.$inferSelect;
export type OrganizationRow = typeof organizations.$inferSelect;
export type ThemeRow = typeof themes.$inferSelect;

export enum TerritoryKind {
  REGION = "REGION",
  DEPARTEMENT = "DEPARTEMENT",
  EPCI = "EPCI",
  COMMUNE = "COMMUNE",
  COMMUNE_ASSOCIEE = "COMMUNE_ASSOCIEE",
  COMMUNE_DELEGUEE = "COMMUNE_DELEGUEE",
  ARRONDISSEMENT_MUNICIPAL = "ARRONDISSEMENT_MUNICIPAL",
}
registerEnumType(TerritoryKind, {
  name: "TerritoryKind",
  description: "Kind of territory, as in the Code officiel géographique.",
  valuesConfig: {
    REGION: { description: "Région (`REG:32`)." },
    DEPARTEMENT: { description: "Département (`DEP:59`)." },
    EPCI: {
      description:
        "Établissement public de coopération intercommunale: métropole, communauté urbaine, d'agglomération ou de communes (`EPCI:200093201`).",
    },
    COMMUNE: { description: "Commune (`COM:59350`)." },
    COMMUNE_ASSOCIEE: { description: "Commune associée, part of a commune (`COMA:59355`, Lomme)." },
    COMMUNE_DELEGUEE: { description: "Commune déléguée of a commune nouvelle (`COMD:...`)." },
    ARRONDISSEMENT_MUNICIPAL: {
      description: "Arrondissement municipal of Paris, Lyon or Marseille (`ARM:75101`).",
    },
  },
});

// A compile-time check that the enum and the reference data name the same kinds.
const _sameKinds: Record<TerritoryKindName, TerritoryKind> = TerritoryKind;
void _sameKinds;

@ObjectType({
  description: "A French territory (région, département, EPCI, commune...). Its id is `KIND:CODE`.",
})
@Directive('@key(fields: "id")')
@CacheFor(CACHE_SECONDS.reference)
export class Territory {
  @Field(() => ID, {
    description:
      "`KIND:CODE`, e.g. `COM:59350` (Lille), `COMA:59355` (Lomme), `EPCI:200093201` (MEL).",
  })
  id!: string;

  @Field(() => TerritoryKind)
  kind!: TerritoryKind;

  @Field(() => String, {
    description: "INSEE code (commune, département, région) or SIREN (EPCI).",
  })
  code!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, {
    nullable: true,
    description: "SIREN of the territory's own collectivité, when it has one.",
  })
  siren!: string | null;

  @Field(() => Int, { nullable: true })
  population!: number | null;

  @Field(() => [String], {
    description: "Postal codes; a postal code may be shared by several communes.",
  })
  postalCodes!: string[];

  @Field(() => String, { description: "Where this record comes from." })
  source!: string;

  @Field(() => String, { description: "Its id at the source." })
  sourceId!: string;
}

@ObjectType({ description: "Libre software a platform runs on." })
@CacheFor(CACHE_SECONDS.listing)
export class Software {
  @Field(() => ID)
  slug!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, {
    nullable: true,
    description: "Its licence's SPDX identifier (`AGPL-3.0`...), when a public page states it.",
  })
  licence!: string | null;

  @Field(() => String, {
    name: "repository",
    nullable: true,
    description: "Where its source code is published.",
  })
  repositoryUrl!: string | null;
}

@ObjectType({ description: "An organization: the operator of a platform, a facilitator..." })
@Directive('@key(fields: "id")')
@CacheFor(CACHE_SECONDS.listing)
export class Organization {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, {
    nullable: true,
    description: "SIREN, only when a public page gives it; never invented.",
  })
  siren!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Forme juridique (association, SCIC, SCOP...).",
  })
  legalForm!: string | null;
}

@ObjectType({
  description: 'A theme of the Nos Déclics directory ("mieux se nourrir", "se déplacer"...).',
})
@CacheFor(CACHE_SECONDS.listing)
export class Theme {
  @Field(() => ID)
  slug!: string;

  @Field(() => String)
  label!: string;

  @Field(() => String, {
    description: "`placeholder` while the labels of the live directory are not verified.",
  })
  source!: string;
}

@ObjectType({
  description: "A platform of the solidarity economy listed in the Nos Déclics directory.",
})
@Directive('@key(fields: "slug")')
@CacheFor(CACHE_SECONDS.listing)
export class Platform {
  @Field(() => ID)
  slug!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, {
    nullable: true,
    description: "Its website, when a public page states it.",
  })
  url!: string | null;

  @Field(() => String, { nullable: true, description: "Its contact page." })
  contactUrl!: string | null;

  @Field(() => String, {
    description:
      "A short description in French, in its own terms where a public page gives them (see `facts`), else from the programme's texts.",
  })
  description!: string;

  @Field(() => Int, { nullable: true, description: "Year it was founded." })
  foundedIn!: number | null;

  @Field(() => String, {
    description: "Where this listing comes from; `placeholder` when not verified.",
  })
  source!: string;

  @Field(() => String, { nullable: true, description: "Its id at the source, when it has one." })
  sourceId!: string | null;
}

export const TerritoryConnection = ConnectionType(Territory);
export const PlatformConnection = ConnectionType(Platform);
