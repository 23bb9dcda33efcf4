import { randomUUID } from "node:crypto";
import { and, eq, gte, lte } from "drizzle-orm";
import { actingId } from "../../lib/authorization.js";
import { type Database, type Transaction, violatedConstraint } from "../../lib/database.js";
import { notFound, userError } from "../../lib/graphql/errors.js";
import type { Identity } from "../../lib/identity.js";
import { checkPeriod } from "./inputs/period.js";
import { loanEvents, loans, NO_OVERLAPPING_LOANS, products, unavailabilities } from "./tables.js";
import { type LoanRow, LoanStatus } from "./types.js";
import { actorOf, LOAN_TRANSITIONS, type LoanAction, mayAct } from "./workflow.js";

export interface LoanRequest {
  productId: string;
  lenderId: string;
  borrowerId: string;
  startDate: string;
  endDate: string;
}

/** Records a loan request (NEW) and its first event, together. */
export function requestLoan(db: Database, request: LoanRequest): Promise<LoanRow> {
  const id = randomUUID();
  return db.transaction(async (tx) => {
    const [loan] = await tx
      .insert(loans)
      .values({ id, ...request, status: LoanStatus.NEW, source: "hub" })
      .returning();
    await tx.insert(loanEvents).values({
      loanId: id,
      actorId: request.borrowerId,
      action: "request",
      toStatus: LoanStatus.NEW,
    });
    return loan!;
  });
}

/** Applies one move of the workflow in one transaction, or refuses it and writes nothing. */
export async function moveLoan(
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
        await refuseIfUnavailable(tx, loan.productId, period.startDate, period.endDate);
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
  tx: Transaction,
  productId: string,
  startDate: string,
  endDate: string,
): Promise<void> {
  const [blocked] = await tx
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
