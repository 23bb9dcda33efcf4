import { describe, expect, it } from "vitest";
import { LoanStatus } from "./types.js";
import { actorOf, LOAN_TRANSITIONS, mayAct } from "./workflow.js";

describe("loan workflow", () => {
  const loan = { lenderId: "owner", borrowerId: "neighbour" };

  it("knows the lender and the borrower, and nobody else", () => {
    expect(actorOf(loan, "owner")).toBe("lender");
    expect(actorOf(loan, "neighbour")).toBe("borrower");
    expect(actorOf(loan, "stranger")).toBeNull();
  });

  it("lets only the borrower confirm and only the lender finish", () => {
    expect(mayAct(LOAN_TRANSITIONS.confirm, "borrower")).toBe(true);
    expect(mayAct(LOAN_TRANSITIONS.confirm, "lender")).toBe(false);
    expect(mayAct(LOAN_TRANSITIONS.finish, "lender")).toBe(true);
    expect(mayAct(LOAN_TRANSITIONS.refuse, null)).toBe(false);
  });

  it("never leaves a finished or refused loan", () => {
    for (const transition of Object.values(LOAN_TRANSITIONS)) {
      expect(transition.from).not.toContain(LoanStatus.FINISHED);
      expect(transition.from).not.toContain(LoanStatus.REFUSED);
    }
  });
});
