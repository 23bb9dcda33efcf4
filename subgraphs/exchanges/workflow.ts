import { LoanStatus } from "./types.js";

/** Who may take an action on a loan: its lender (the owner), its borrower, or either. */
export type LoanActor = "lender" | "borrower" | "either";

export interface LoanTransition {
  from: readonly LoanStatus[];
  to: LoanStatus;
  by: LoanActor;
}

const { NEW, TO_CONFIRM, CONFIRMED, FINISHED, REFUSED } = LoanStatus;

/**
 * EBS's loan workflow: the borrower requests (NEW); the lender accepts, possibly proposing other
 * dates (TO_CONFIRM); a change of dates by the borrower sends it back to NEW; the borrower
 * confirms (CONFIRMED); the lender records the return (FINISHED). Either party may refuse or
 * withdraw until it is finished.
 */
export const LOAN_TRANSITIONS = {
  accept: { from: [NEW], to: TO_CONFIRM, by: "lender" },
  proposeDates: { from: [NEW, TO_CONFIRM], to: TO_CONFIRM, by: "lender" },
  modify: { from: [NEW, TO_CONFIRM], to: NEW, by: "borrower" },
  confirm: { from: [TO_CONFIRM], to: CONFIRMED, by: "borrower" },
  finish: { from: [CONFIRMED], to: FINISHED, by: "lender" },
  refuse: { from: [NEW, TO_CONFIRM, CONFIRMED], to: REFUSED, by: "either" },
} as const satisfies Record<string, LoanTransition>;

export type LoanAction = keyof typeof LOAN_TRANSITIONS;

export function actorOf(
  loan: { lenderId: string; borrowerId: string },
  memberId: string,
): LoanActor | null {
  if (memberId === loan.lenderId) return "lender";
  if (memberId === loan.borrowerId) return "borrower";
  return null;
}

export function mayAct(transition: LoanTransition, actor: LoanActor | null): boolean {
  return actor !== null && (transition.by === "either" || transition.by === actor);
}
