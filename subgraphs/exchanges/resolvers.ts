import "reflect-metadata";
import { randomUUID } from "node:crypto";
import { and, asc, count, desc, eq, gte, isNull, lte, or, type SQL, sql } from "drizzle-orm";
import { GraphQLLocalDate } from "graphql-scalars";
import {
  Arg,
  Args,
  ArgsType,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Mutation,
  Query,
  Resolver,
  Root,
} from "type-graphql";
import { actingId, actsFor } from "../../lib/authorization.js";
import { type Database, violatedConstraint } from "../../lib/database.js";
import { CACHE_SECONDS, CacheFor } from "../../lib/graphql/cache.js";
import { PageArgs, parsePage, toConnection } from "../../lib/graphql/connection.js";
import { badUserInput, notFound, userError } from "../../lib/graphql/errors.js";
import { pathContains } from "../../lib/graphql/sql.js";
import { CountByKey } from "../../lib/graphql/stats.js";
import type { Identity } from "../../lib/identity.js";
import type { SubgraphContext } from "../../lib/subgraph.js";
import { parseTerritoryId } from "../../lib/territories.js";
import { daysInclusive, parisDate } from "../../lib/time.js";
import { type ExchangesLoaders, publiclyListed } from "./loaders.js";
import {
  categories,
  instances,
  loanEvents,
  loans,
  NO_OVERLAPPING_LOANS,
  products,
  unavailabilities,
} from "./tables.js";
import {
  type BusyPeriod,
  BusyReason,
  Category,
  type CategoryRow,
  ExchangeInstance,
  ExchangeMember,
  type InstanceRow,
  Loan,
  LoanConnection,
  LoanGrouping,
  type LoanRow,
  LoanStatus,
  MemberContact,
  MemberKind,
  type MemberRow,
  OpeningPeriod,
  PlaceAddress,
  PlatformRef,
  Product,
  ProductAvailability,
  ProductConnection,
  type ProductRow,
  ProductType,
  TerritoryRef,
} from "./types.js";
import { actorOf, LOAN_TRANSITIONS, type LoanAction, mayAct } from "./workflow.js";

type Context = SubgraphContext<ExchangesLoaders>;

const MAX_PERIOD_DAYS = 366;

function checkTerritoryId(id: string): string {
  if (!parseTerritoryId(id))
    throw badUserInput(`Identifiant de territoire invalide : « ${id} ».`, {
      argument: "territoryId",
    });
  return id;
}

function checkPeriod(from: string, to: string, { future = false } = {}): void {
  if (from > to)
    throw badUserInput("La date de début doit précéder la date de fin.", { argument: "startDate" });
  if (daysInclusive(from, to) > MAX_PERIOD_DAYS)
    throw badUserInput(`Une période dure au plus ${MAX_PERIOD_DAYS} jours.`);
  if (future && from < parisDate())
    throw badUserInput("Un prêt ne commence pas dans le passé.", { argument: "startDate" });
}

const overlaps = (a: { start: string; end: string }, from: string, to: string) =>
  a.start <= to && a.end >= from;

@Resolver(() => ExchangeInstance)
export class ExchangeInstanceResolver {
  @Query(() => ExchangeInstance, { nullable: true })
  exchangeInstance(@Arg("slug", () => ID) slug: string, @Ctx() { loaders }: Context) {
    return loaders.instance.load(slug);
  }

  @CacheFor(CACHE_SECONDS.listing)
  @Query(() => [ExchangeInstance], { description: "Every EBS instance the hub federates." })
  exchangeInstances(@Ctx() { db }: Context): Promise<InstanceRow[]> {
    return db.select().from(instances).orderBy(asc(instances.name));
  }

  @FieldResolver(() => TerritoryRef, { description: "The territory the instance serves." })
  territory(@Root() instance: InstanceRow): TerritoryRef {
    return { id: instance.territoryId };
  }

  @FieldResolver(() => PlatformRef, {
    nullable: true,
    description: "The directory platform it is listed as.",
  })
  platform(@Root() instance: InstanceRow): PlatformRef | null {
    return instance.platformSlug ? { slug: instance.platformSlug } : null;
  }
}

@Resolver(() => Category)
export class CategoryResolver {
  @CacheFor(CACHE_SECONDS.listing)
  @Query(() => [Category], {
    description: "The top of the category tree of a type (objects or services).",
  })
  categories(
    @Arg("type", () => ProductType) type: ProductType,
    @Ctx() { db }: Context,
  ): Promise<CategoryRow[]> {
    return db
      .select()
      .from(categories)
      .where(and(eq(categories.type, type), isNull(categories.parentId)))
      .orderBy(asc(categories.position));
  }

  @FieldResolver(() => Category, { nullable: true })
  parent(@Root() category: CategoryRow, @Ctx() { loaders }: Context) {
    return category.parentId ? loaders.category.load(category.parentId) : null;
  }

  @FieldResolver(() => [Category])
  children(@Root() category: CategoryRow, @Ctx() { loaders }: Context) {
    return loaders.childrenOf.load(category.id);
  }
}

@Resolver(() => ExchangeMember)
export class ExchangeMemberResolver {
  @FieldResolver(() => ExchangeInstance)
  instance(@Root() member: MemberRow, @Ctx() { loaders }: Context) {
    return loaders.instance.load(member.instanceSlug);
  }

  @FieldResolver(() => PlaceAddress, {
    nullable: true,
    description: "A place's public address; always null for a person.",
  })
  address(@Root() member: MemberRow): PlaceAddress | null {
    return member.kind === MemberKind.PLACE
      ? { street: member.street, postalCode: member.postalCode, locality: member.locality }
      : null;
  }

  @FieldResolver(() => [OpeningPeriod], {
    description: "A place's weekly opening schedule; empty for a person.",
  })
  openingSchedule(@Root() member: MemberRow): OpeningPeriod[] {
    return member.kind === MemberKind.PLACE ? (member.schedule ?? []) : [];
  }

  @FieldResolver(() => TerritoryRef, {
    nullable: true,
    description: "The commune of a place; null for a person.",
  })
  territory(@Root() member: MemberRow): TerritoryRef | null {
    return member.kind === MemberKind.PLACE ? { id: member.territoryId } : null;
  }

  @FieldResolver(() => MemberContact, {
    nullable: true,
    description:
      "The member's e-mail and phone, for the member itself and admins; null for anyone else.",
  })
  contact(@Root() member: MemberRow, @Ctx() { identity }: Context): MemberContact | null {
    return actsFor(identity, "member", member.id)
      ? { email: member.email, phone: member.phone }
      : null;
  }
}

@ArgsType()
class ProductsArgs extends PageArgs {
  @Field(() => ProductType, { nullable: true })
  type?: ProductType | null;

  @Field(() => ID, { nullable: true, description: "A category id, e.g. `velos-accessoires`." })
  categorySlug?: string | null;
}

@ArgsType()
class CatalogueArgs extends ProductsArgs {
  @Field(() => ID, { nullable: true })
  instanceSlug?: string | null;
}

@Resolver(() => Product)
export class ProductResolver {
  @Query(() => Product, {
    nullable: true,
    description: "A product; null when unknown, deleted or restricted to groups.",
  })
  async product(
    @Arg("id", () => ID) id: string,
    @Ctx() { loaders }: Context,
  ): Promise<ProductRow | null> {
    const product = await loaders.product.load(id);
    return product &&
      product.status !== "DELETED" &&
      product.visibility === "PUBLIC" &&
      !product.withdrawnAt
      ? product
      : null;
  }

  @CacheFor(CACHE_SECONDS.catalogue)
  @Query(() => ProductConnection, {
    description: "The public catalogue of every instance, or of one.",
  })
  async products(@Args(() => CatalogueArgs) args: CatalogueArgs, @Ctx() { db, loaders }: Context) {
    const page = parsePage(args);
    const where = and(
      publiclyListed,
      args.instanceSlug ? eq(products.instanceSlug, args.instanceSlug) : undefined,
      args.type ? eq(products.type, args.type) : undefined,
      args.categorySlug ? eq(products.categoryId, args.categorySlug) : undefined,
    );
    const [rows, [total]] = await Promise.all([
      loaders.select(
        db
          .select()
          .from(products)
          .where(where)
          .orderBy(asc(products.name), asc(products.id))
          .offset(page.offset)
          .limit(page.limit),
      ),
      loaders.select(db.select({ value: count() }).from(products).where(where)),
    ]);
    return toConnection(rows, page, total?.value ?? 0);
  }

  @FieldResolver(() => Category)
  category(@Root() product: ProductRow, @Ctx() { loaders }: Context) {
    return loaders.category.load(product.categoryId);
  }

  @FieldResolver(() => ExchangeMember, {
    description: "Who offers it: a place, or a person by their display name.",
  })
  owner(@Root() product: ProductRow, @Ctx() { loaders }: Context) {
    return loaders.member.load(product.ownerId);
  }

  @FieldResolver(() => ExchangeInstance)
  instance(@Root() product: ProductRow, @Ctx() { loaders }: Context) {
    return loaders.instance.load(product.instanceSlug);
  }

  @FieldResolver(() => ProductAvailability, {
    description: "Days taken over a period: set unavailable by the owner, or by a confirmed loan.",
  })
  async availability(
    @Root() product: ProductRow,
    @Arg("from", () => GraphQLLocalDate) from: string,
    @Arg("to", () => GraphQLLocalDate) to: string,
    @Ctx() { loaders }: Context,
  ): Promise<ProductAvailability> {
    checkPeriod(from, to);
    const [unavailable, confirmed] = await Promise.all([
      loaders.unavailabilitiesOf.load(product.id),
      loaders.confirmedLoansOf.load(product.id),
    ]);
    const busy: BusyPeriod[] = [
      ...unavailable
        .filter((u) => overlaps(u, from, to))
        .map((u) => ({ start: u.start, end: u.end, reason: BusyReason.UNAVAILABLE })),
      ...confirmed
        .map((loan) => ({ start: loan.startDate, end: loan.endDate }))
        .filter((l) => overlaps(l, from, to))
        .map((l) => ({ ...l, reason: BusyReason.LOAN })),
    ].sort((a, b) => a.start.localeCompare(b.start));
    return { from, to, available: busy.length === 0, busy };
  }
}

@Resolver(() => TerritoryRef)
export class TerritoryExchangesResolver {
  @FieldResolver(() => [ExchangeInstance], {
    description: "EBS instances serving this territory or a territory containing it.",
  })
  exchangeInstances(@Root() territory: TerritoryRef, @Ctx() { loaders }: Context) {
    return loaders.instancesCovering.load(territory.id);
  }

  @FieldResolver(() => [ExchangeMember], {
    description: "Partner places (objetothèques...) in this territory or a territory it contains.",
  })
  places(@Root() territory: TerritoryRef, @Ctx() { loaders }: Context) {
    return loaders.placesWithin.load(territory.id);
  }

  @FieldResolver(() => ProductConnection, {
    description: "Public products whose owner is in this territory or a territory it contains.",
  })
  products(
    @Root() territory: TerritoryRef,
    @Args(() => ProductsArgs) args: ProductsArgs,
    @Ctx() { loaders }: Context,
  ) {
    return loaders.productsWithin.load({
      owner: territory.id,
      page: parsePage(args),
      filters: { type: args.type ?? null, categoryId: args.categorySlug ?? null },
    });
  }
}

@Resolver(() => PlatformRef)
export class PlatformExchangesResolver {
  @FieldResolver(() => ExchangeInstance, {
    nullable: true,
    description: "The EBS instance listed as this platform.",
  })
  exchangeInstance(@Root() platform: PlatformRef, @Ctx() { loaders }: Context) {
    return loaders.instanceOfPlatform.load(platform.slug);
  }
}

@Resolver()
export class PlacesResolver {
  @CacheFor(CACHE_SECONDS.catalogue)
  @Query(() => [ExchangeMember], {
    description:
      "Partner places (objetothèques...) in a territory and the territories it contains.",
  })
  places(@Arg("territoryId", () => ID) territoryId: string, @Ctx() { loaders }: Context) {
    return loaders.placesWithin.load(checkTerritoryId(territoryId));
  }
}

/** Applies one move of the workflow in one transaction, or refuses it and writes nothing. */
async function moveLoan(
  db: Database,
  loanId: string,
  action: LoanAction,
  identity: Identity,
  dates?: { startDate: string; endDate: string },
): Promise<LoanRow> {
  const transition = LOAN_TRANSITIONS[action];
  // An admin may make any move; a member only those of its side of the loan.
  const memberId = identity.role === "admin" ? null : actingId(identity, "member");
  if (dates) checkPeriod(dates.startDate, dates.endDate, { future: true });
  try {
    return await db.transaction(async (tx) => {
      const [loan] = await tx.select().from(loans).where(eq(loans.id, loanId)).for("update");
      if (!loan) throw notFound(`Prêt inconnu : « ${loanId} ».`);
      if (memberId !== null && !mayAct(transition, actorOf(loan, memberId))) {
        throw userError(
          "FORBIDDEN",
          `Seul ${transition.by === "lender" ? "le prêteur" : transition.by === "borrower" ? "l'emprunteur" : "le prêteur ou l'emprunteur"} peut faire cela.`,
        );
      }
      if (!(transition.from as readonly string[]).includes(loan.status)) {
        throw userError(
          "ILLEGAL_TRANSITION",
          `Un prêt ${loan.status} ne peut pas passer à ${transition.to} (${action}).`,
          { from: loan.status, to: transition.to },
        );
      }
      const period = dates ?? { startDate: loan.startDate, endDate: loan.endDate };
      if (transition.to === LoanStatus.CONFIRMED) {
        // Confirmations of one product take turns: two at once would each wait on the other's
        // row in the exclusion constraint's check, and PostgreSQL would abort one as a deadlock
        // instead of refusing it as an overlap.
        await tx
          .select({ id: products.id })
          .from(products)
          .where(eq(products.id, loan.productId))
          .for("update");
        await refuseIfUnavailable(
          tx as unknown as Database,
          loan.productId,
          period.startDate,
          period.endDate,
        );
      }
      const [updated] = await tx
        .update(loans)
        .set({ status: transition.to, ...period, updatedAt: new Date() })
        .where(eq(loans.id, loanId))
        .returning();
      await tx.insert(loanEvents).values({
        loanId,
        actorId: memberId ?? identity.subject ?? "admin",
        action,
        fromStatus: loan.status,
        toStatus: transition.to,
      });
      return updated!;
    });
  } catch (error) {
    if (violatedConstraint(error) === NO_OVERLAPPING_LOANS) {
      throw userError(
        "PRODUCT_UNAVAILABLE",
        "Ce produit est déjà prêté sur une partie de ces dates.",
      );
    }
    throw error;
  }
}

async function refuseIfUnavailable(
  db: Database,
  productId: string,
  startDate: string,
  endDate: string,
): Promise<void> {
  const [blocked] = await db
    .select({ id: unavailabilities.id })
    .from(unavailabilities)
    .where(
      and(
        eq(unavailabilities.productId, productId),
        lte(unavailabilities.startDate, endDate),
        gte(unavailabilities.endDate, startDate),
      ),
    )
    .limit(1);
  if (blocked)
    throw userError(
      "PRODUCT_UNAVAILABLE",
      "Le propriétaire a rendu ce produit indisponible sur ces dates.",
    );
}

const LOAN_MOVE_DESCRIPTION: Record<LoanAction, string> = {
  accept: "The lender accepts the request at its dates (NEW → TO_CONFIRM).",
  proposeDates: "The lender proposes other dates (NEW or TO_CONFIRM → TO_CONFIRM).",
  modify: "The borrower changes the dates: the lender answers again (NEW or TO_CONFIRM → NEW).",
  confirm:
    "The borrower confirms (TO_CONFIRM → CONFIRMED); refused when another confirmed loan holds any of the days.",
  finish: "The lender records the return (CONFIRMED → FINISHED).",
  refuse: "The lender refuses or the borrower withdraws (NEW, TO_CONFIRM or CONFIRMED → REFUSED).",
};

@ArgsType()
class LoanDatesArgs {
  @Field(() => ID)
  loanId!: string;

  @Field(() => GraphQLLocalDate)
  startDate!: string;

  @Field(() => GraphQLLocalDate)
  endDate!: string;
}

@ArgsType()
class MyLoansArgs extends PageArgs {
  @Field(() => LoanStatus, { nullable: true })
  status?: LoanStatus | null;
}

@Resolver(() => Loan)
export class LoanResolver {
  @FieldResolver(() => Product)
  product(@Root() loan: LoanRow, @Ctx() { loaders }: Context) {
    return loaders.product.load(loan.productId);
  }

  @FieldResolver(() => ExchangeMember, {
    description: "Who lends: a place, or a person by their display name.",
  })
  lender(@Root() loan: LoanRow, @Ctx() { loaders }: Context) {
    return loaders.member.load(loan.lenderId);
  }

  @FieldResolver(() => ExchangeMember, { description: "Who borrows, by their display name." })
  borrower(@Root() loan: LoanRow, @Ctx() { loaders }: Context) {
    return loaders.member.load(loan.borrowerId);
  }

  @Authorized("exchange_member")
  @Query(() => LoanConnection, {
    description:
      "The loans the calling member lends or borrows, latest first (every loan for an admin).",
  })
  async myLoans(
    @Args(() => MyLoansArgs) args: MyLoansArgs,
    @Ctx() { db, identity, loaders }: Context,
  ) {
    const page = parsePage(args);
    const memberId = identity.role === "admin" ? null : actingId(identity, "member");
    const where = and(
      memberId ? or(eq(loans.lenderId, memberId), eq(loans.borrowerId, memberId)) : undefined,
      args.status ? eq(loans.status, args.status) : undefined,
    );
    const [rows, [total]] = await Promise.all([
      loaders.select(
        db
          .select()
          .from(loans)
          .where(where)
          .orderBy(desc(loans.startDate), asc(loans.id))
          .limit(page.limit)
          .offset(page.offset),
      ),
      loaders.select(db.select({ n: count() }).from(loans).where(where)),
    ]);
    return toConnection(rows, page, Number(total!.n));
  }

  @Authorized("exchange_member")
  @Mutation(() => Loan, {
    description:
      "The caller, an EBS member, asks to borrow a public, active product over some days (→ NEW).",
  })
  async requestLoan(
    @Arg("productId", () => ID) productId: string,
    @Arg("startDate", () => GraphQLLocalDate) startDate: string,
    @Arg("endDate", () => GraphQLLocalDate) endDate: string,
    @Ctx() { db, loaders, identity }: Context,
  ): Promise<LoanRow> {
    checkPeriod(startDate, endDate, { future: true });
    const borrowerId = actingId(identity, "member");
    const [product, borrower] = await Promise.all([
      loaders.product.load(productId),
      loaders.member.load(borrowerId),
    ]);
    if (product?.status !== "ACTIVE" || product.visibility !== "PUBLIC" || product.withdrawnAt)
      throw notFound(`Produit inconnu ou indisponible : « ${productId} ».`);
    if (!borrower) throw notFound(`Membre inconnu : « ${borrowerId} ».`);
    if (borrower.id === product.ownerId)
      throw badUserInput("On n'emprunte pas son propre produit.");
    const confirmed = await loaders.confirmedLoansOf.load(productId);
    if (
      confirmed.some((loan) =>
        overlaps({ start: loan.startDate, end: loan.endDate }, startDate, endDate),
      )
    ) {
      throw userError(
        "PRODUCT_UNAVAILABLE",
        "Ce produit est déjà prêté sur une partie de ces dates.",
      );
    }
    const id = randomUUID();
    return db.transaction(async (tx) => {
      const [loan] = await tx
        .insert(loans)
        .values({
          id,
          productId,
          lenderId: product.ownerId,
          borrowerId: borrower.id,
          startDate,
          endDate,
          status: LoanStatus.NEW,
          source: "hub",
        })
        .returning();
      await tx
        .insert(loanEvents)
        .values({ loanId: id, actorId: borrower.id, action: "request", toStatus: LoanStatus.NEW });
      return loan!;
    });
  }

  @Authorized("exchange_member")
  @Mutation(() => Loan, { description: LOAN_MOVE_DESCRIPTION.accept })
  acceptLoan(@Arg("loanId", () => ID) loanId: string, @Ctx() { db, identity }: Context) {
    return moveLoan(db, loanId, "accept", identity);
  }

  @Authorized("exchange_member")
  @Mutation(() => Loan, { description: LOAN_MOVE_DESCRIPTION.proposeDates })
  proposeLoanDates(
    @Args(() => LoanDatesArgs) { loanId, startDate, endDate }: LoanDatesArgs,
    @Ctx() { db, identity }: Context,
  ) {
    return moveLoan(db, loanId, "proposeDates", identity, { startDate, endDate });
  }

  @Authorized("exchange_member")
  @Mutation(() => Loan, { description: LOAN_MOVE_DESCRIPTION.modify })
  modifyLoan(
    @Args(() => LoanDatesArgs) { loanId, startDate, endDate }: LoanDatesArgs,
    @Ctx() { db, identity }: Context,
  ) {
    return moveLoan(db, loanId, "modify", identity, { startDate, endDate });
  }

  @Authorized("exchange_member")
  @Mutation(() => Loan, { description: LOAN_MOVE_DESCRIPTION.confirm })
  confirmLoan(@Arg("loanId", () => ID) loanId: string, @Ctx() { db, identity }: Context) {
    return moveLoan(db, loanId, "confirm", identity);
  }

  @Authorized("exchange_member")
  @Mutation(() => Loan, { description: LOAN_MOVE_DESCRIPTION.finish })
  finishLoan(@Arg("loanId", () => ID) loanId: string, @Ctx() { db, identity }: Context) {
    return moveLoan(db, loanId, "finish", identity);
  }

  @Authorized("exchange_member")
  @Mutation(() => Loan, { description: LOAN_MOVE_DESCRIPTION.refuse })
  refuseLoan(@Arg("loanId", () => ID) loanId: string, @Ctx() { db, identity }: Context) {
    return moveLoan(db, loanId, "refuse", identity);
  }
}

@Resolver()
export class LoanStatsResolver {
  @CacheFor(CACHE_SECONDS.catalogue)
  @Query(() => [CountByKey], {
    description:
      "Loans counted by month of their start, category or instance; counts only, never people.",
  })
  async loanStats(
    @Arg("groupBy", () => LoanGrouping) groupBy: LoanGrouping,
    @Arg("instanceSlug", () => ID, { nullable: true }) instanceSlug: string | null,
    @Arg("territoryId", () => ID, {
      nullable: true,
      description: "Loans of products whose owner is in this territory or one it contains.",
    })
    territoryId: string | null,
    @Arg("from", () => GraphQLLocalDate, { nullable: true }) from: string | null,
    @Arg("to", () => GraphQLLocalDate, { nullable: true }) to: string | null,
    @Ctx() { db }: Context,
  ): Promise<CountByKey[]> {
    const key: SQL<string> = {
      MONTH: sql<string>`to_char(${loans.startDate}, 'YYYY-MM')`,
      CATEGORY: sql<string>`${categories.name}`,
      INSTANCE: sql<string>`${products.instanceSlug}`,
    }[groupBy];
    const conditions = [
      instanceSlug ? eq(products.instanceSlug, instanceSlug) : undefined,
      territoryId ? pathContains(products.territoryPath, checkTerritoryId(territoryId)) : undefined,
      from ? gte(loans.startDate, from) : undefined,
      to ? lte(loans.startDate, to) : undefined,
    ];
    return db
      .select({ key, count: count() })
      .from(loans)
      .innerJoin(products, eq(products.id, loans.productId))
      .innerJoin(categories, eq(categories.id, products.categoryId))
      .where(and(...conditions))
      .groupBy(key)
      .orderBy(key);
  }
}
