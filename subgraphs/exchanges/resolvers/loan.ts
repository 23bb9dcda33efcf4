import "reflect-metadata";
import { and, asc, count, desc, eq, or } from "drizzle-orm";
import { GraphQLLocalDate } from "graphql-scalars";
import {
  Arg,
  Args,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Mutation,
  Query,
  Resolver,
  Root,
} from "type-graphql";
import { actingId } from "../../../lib/authorization.js";
import { pageOf, parsePage } from "../../../lib/graphql/connection.js";
import { badUserInput, notFound, userError } from "../../../lib/graphql/errors.js";
import { LoanDatesArgs, MyLoansArgs } from "../inputs/loan.js";
import { checkPeriod, overlaps } from "../inputs/period.js";
import type { Context } from "../loaders.js";
import { loans } from "../tables.js";
import { ExchangeMember, Loan, LoanConnection, type LoanRow, Product } from "../types.js";
import { isPubliclyListed } from "../visibility.js";
import type { LoanAction } from "../workflow.js";
import { moveLoan, requestLoan } from "../writes.js";

const LOAN_MOVE_DESCRIPTION: Record<LoanAction, string> = {
  accept: "The lender accepts the request at its dates (NEW → TO_CONFIRM).",
  proposeDates: "The lender proposes other dates (NEW or TO_CONFIRM → TO_CONFIRM).",
  modify: "The borrower changes the dates: the lender answers again (NEW or TO_CONFIRM → NEW).",
  confirm:
    "The borrower confirms (TO_CONFIRM → CONFIRMED); refused when another confirmed loan holds any of the days.",
  finish: "The lender records the return (CONFIRMED → FINISHED).",
  refuse: "The lender refuses or the borrower withdraws (NEW, TO_CONFIRM or CONFIRMED → REFUSED).",
};

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
  myLoans(@Args(() => MyLoansArgs) args: MyLoansArgs, @Ctx() { db, identity, loaders }: Context) {
    const page = parsePage(args);
    const memberId = identity.role === "admin" ? null : actingId(identity, "member");
    const where = and(
      memberId ? or(eq(loans.lenderId, memberId), eq(loans.borrowerId, memberId)) : undefined,
      args.status ? eq(loans.status, args.status) : undefined,
    );
    return pageOf(
      loaders.select,
      page,
      db.select().from(loans).where(where).orderBy(desc(loans.startDate), asc(loans.id)),
      db.select({ total: count() }).from(loans).where(where),
    );
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
    if (!product || !isPubliclyListed(product))
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
    return requestLoan(db, {
      productId,
      lenderId: product.ownerId,
      borrowerId: borrower.id,
      startDate,
      endDate,
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
