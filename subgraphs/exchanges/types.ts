import "reflect-metadata";
import { GraphQLLocalDate } from "graphql-scalars";
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { CACHE_SECONDS, CacheFor, CacheLikeParent } from "../../lib/graphql/cache.js";
import { ConnectionType } from "../../lib/graphql/connection.js";
import type { categories, instances, loans, members, products } from "./tables.js";

export type InstanceRow = typeof instances.$inferSelect;
export type CategoryRow = typeof categories.$inferSelect;
export type MemberRow = typeof members.$inferSelect;
export type ProductRow = typeof products.$inferSelect;
export type LoanRow = typeof loans.$inferSelect;

export enum ProductType {
  OBJECT = "OBJECT",
  SERVICE = "SERVICE",
}
registerEnumType(ProductType, {
  name: "ProductType",
  description: "An object lent, or a service given.",
});

export enum ProductStatus {
  ACTIVE = "ACTIVE",
  PAUSED = "PAUSED",
  DELETED = "DELETED",
}
registerEnumType(ProductStatus, { name: "ProductStatus" });

export enum ProductVisibility {
  PUBLIC = "PUBLIC",
  RESTRICTED = "RESTRICTED",
}
registerEnumType(ProductVisibility, {
  name: "ProductVisibility",
  description: "Public, or restricted to the owner's groups (never listed here).",
});

export enum MemberKind {
  PERSON = "PERSON",
  PLACE = "PLACE",
}
registerEnumType(MemberKind, {
  name: "MemberKind",
  description: "A person, or a partner place such as an objetothèque.",
});

export enum LoanStatus {
  NEW = "NEW",
  TO_CONFIRM = "TO_CONFIRM",
  CONFIRMED = "CONFIRMED",
  FINISHED = "FINISHED",
  REFUSED = "REFUSED",
}
registerEnumType(LoanStatus, {
  name: "LoanStatus",
  valuesConfig: {
    NEW: { description: "Requested by the borrower, or modified by them: the lender answers." },
    TO_CONFIRM: {
      description: "Accepted by the lender, possibly at other dates: the borrower confirms.",
    },
    CONFIRMED: { description: "Both agree: the product is taken over those days." },
    FINISHED: { description: "Returned." },
    REFUSED: { description: "Refused or withdrawn." },
  },
});

export enum LoanGrouping {
  MONTH = "MONTH",
  CATEGORY = "CATEGORY",
  INSTANCE = "INSTANCE",
}
registerEnumType(LoanGrouping, { name: "LoanGrouping" });

export enum BusyReason {
  UNAVAILABLE = "UNAVAILABLE",
  LOAN = "LOAN",
}
registerEnumType(BusyReason, {
  name: "BusyReason",
  description: "Set unavailable by the owner, or taken by a confirmed loan.",
});

/** Entities of other subgraphs, by key only: the gateway fetches the rest from their owner. */
@ObjectType("Territory")
@Directive('@key(fields: "id")')
@CacheFor(CACHE_SECONDS.catalogue)
export class TerritoryRef {
  @Field(() => ID)
  id!: string;
}

@ObjectType("Platform")
@Directive('@key(fields: "slug")')
@CacheFor(CACHE_SECONDS.catalogue)
export class PlatformRef {
  @Field(() => ID)
  slug!: string;
}

@ObjectType({
  description:
    "An EBS instance (Échanges de Biens et Services): one per territory, federated by the hub.",
})
@Directive('@key(fields: "slug")')
@CacheFor(CACHE_SECONDS.listing)
export class ExchangeInstance {
  @Field(() => ID)
  slug!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  baseUrl!: string | null;

  @Field(() => Boolean, { description: "Whether members may offer services, not only objects." })
  servicesEnabled!: boolean;

  @Field(() => String, {
    description: "`placeholder` while the instance is planned, not verified.",
  })
  source!: string;
}

@ObjectType({
  description: "A category of objects or of services; categories form a tree per type.",
})
@CacheFor(CACHE_SECONDS.listing)
export class Category {
  @Field(() => ID, { description: "A slug, e.g. `velos-accessoires`." })
  id!: string;

  @Field(() => ProductType)
  type!: ProductType;

  @Field(() => String)
  name!: string;
}

@ObjectType({ description: "One opening period of a place in the week (Europe/Paris wall-clock)." })
@CacheLikeParent()
export class OpeningPeriod {
  @Field(() => String, { description: "`monday` … `sunday`." })
  day!: string;

  @Field(() => String, { description: "`HH:MM`" })
  opens!: string;

  @Field(() => String, { description: "`HH:MM`" })
  closes!: string;
}

@ObjectType({ description: "The public address of a place (never of a person)." })
@CacheLikeParent()
export class PlaceAddress {
  @Field(() => String, { nullable: true })
  street!: string | null;

  @Field(() => String, { nullable: true })
  postalCode!: string | null;

  @Field(() => String, { nullable: true })
  locality!: string | null;
}

@ObjectType({
  description:
    "Who offers products: a person, shown only by the display name they chose (never a name, e-mail, phone or address), or a partner place such as an objetothèque.",
})
@CacheFor(CACHE_SECONDS.catalogue)
export class ExchangeMember {
  @Field(() => ID)
  id!: string;

  @Field(() => MemberKind)
  kind!: MemberKind;

  @Field(() => String, {
    name: "name",
    description: "A place's public name, or the display name a person chose.",
  })
  displayName!: string;
}

@ObjectType({
  description: "How to reach a member: personal data, shown only to the member itself and admins.",
})
export class MemberContact {
  @Field(() => String, { nullable: true })
  email!: string | null;

  @Field(() => String, { nullable: true })
  phone!: string | null;
}

@ObjectType({ description: "An object lent or a service given on an EBS instance." })
@Directive('@key(fields: "id")')
@CacheFor(CACHE_SECONDS.catalogue)
export class Product {
  @Field(() => ID)
  id!: string;

  @Field(() => ProductType)
  type!: ProductType;

  @Field(() => ProductStatus)
  status!: ProductStatus;

  @Field(() => ProductVisibility)
  visibility!: ProductVisibility;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  slug!: string;

  @Field(() => String)
  description!: string;

  @Field(() => String, {
    nullable: true,
    description: "Objects: how old it is, as the owner says.",
  })
  age!: string | null;

  @Field(() => Int, { nullable: true, description: "Objects: deposit asked, in cents." })
  depositCents!: number | null;

  @Field(() => String, {
    nullable: true,
    description: "Objects: currency of the deposit (ISO 4217).",
  })
  currency!: string | null;

  @Field(() => Int, {
    nullable: true,
    description: "Objects: the loan duration the owner prefers, in days.",
  })
  preferredLoanDays!: number | null;

  @Field(() => Int, { nullable: true, description: "Services: duration in minutes." })
  durationMinutes!: number | null;

  @Field(() => String)
  source!: string;

  @Field(() => String, { nullable: true })
  sourceId!: string | null;
}

@ObjectType({ description: "A period a product is not available." })
export class BusyPeriod {
  @Field(() => GraphQLLocalDate)
  start!: string;

  @Field(() => GraphQLLocalDate)
  end!: string;

  @Field(() => BusyReason)
  reason!: BusyReason;
}

@ObjectType({ description: "Whether a product is free over a period, and which days are taken." })
export class ProductAvailability {
  @Field(() => GraphQLLocalDate)
  from!: string;

  @Field(() => GraphQLLocalDate)
  to!: string;

  @Field(() => Boolean, { description: "True when no day of the period is taken." })
  available!: boolean;

  @Field(() => [BusyPeriod])
  busy!: BusyPeriod[];
}

@ObjectType({
  description: 'A loan (a "demande de service" in EBS) between a lender and a borrower.',
})
export class Loan {
  @Field(() => ID)
  id!: string;

  @Field(() => LoanStatus)
  status!: LoanStatus;

  @Field(() => GraphQLLocalDate)
  startDate!: string;

  @Field(() => GraphQLLocalDate)
  endDate!: string;
}

export const ProductConnection = ConnectionType(Product);
export const LoanConnection = ConnectionType(Loan);
