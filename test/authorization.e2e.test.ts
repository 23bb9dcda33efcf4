import { readFileSync } from "node:fs";
import { buildSchema } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NewApiKey } from "../gateway/access/api-keys.js";
import { ROLES, type Role } from "../lib/identity.js";
import { startTestHub, type TestHub } from "./harness.js";

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub?.close());

const UNKNOWN = "00000000-0000-4000-8000-000000000000";

/**
 * Every mutation of the API, with the roles that may call it. Ids point at nothing, so an
 * allowed caller gets past the role check and stops at NOT_FOUND or the like: the test is about
 * who is let in, each subgraph's own tests about what happens next.
 */
const MUTATIONS: Record<string, { query: string; allowed: Role[] }> = {
  bookAppointment: {
    query: `mutation { bookAppointment(input: { repairerId: "inconnu", slotTime: "2031-01-06T09:00:00+01:00", bikeTypeId: "velo-classique" }) { id } }`,
    allowed: ["customer"],
  },
  validateAppointment: {
    query: `mutation { validateAppointment(appointmentId: "${UNKNOWN}") { id } }`,
    allowed: ["repairer"],
  },
  refuseAppointment: {
    query: `mutation { refuseAppointment(appointmentId: "${UNKNOWN}") { id } }`,
    allowed: ["repairer"],
  },
  proposeAppointmentSlot: {
    query: `mutation { proposeAppointmentSlot(appointmentId: "${UNKNOWN}", slotTime: "2031-01-06T09:00:00+01:00") { id } }`,
    allowed: ["repairer"],
  },
  cancelAppointment: {
    query: `mutation { cancelAppointment(appointmentId: "${UNKNOWN}") { id } }`,
    allowed: ["customer", "repairer"],
  },
  recordEngagement: {
    query: `mutation { recordEngagement(input: { collectiviteId: "inconnue", title: "Un engagement", platformSlugs: [] }) { id } }`,
    allowed: ["collectivite_agent"],
  },
  changeEngagementStatus: {
    query: `mutation { changeEngagementStatus(engagementId: "inconnu", status: PLANNED) { id } }`,
    allowed: ["collectivite_agent"],
  },
  addIndicatorMeasurement: {
    query: `mutation { addIndicatorMeasurement(indicatorId: "inconnu", measuredOn: "2025-01-01", value: 1, unit: "collectifs") { value } }`,
    allowed: ["collectivite_agent"],
  },
  requestLoan: {
    query: `mutation { requestLoan(productId: "inconnu", startDate: "2031-01-06", endDate: "2031-01-07") { id } }`,
    allowed: ["exchange_member"],
  },
  acceptLoan: {
    query: `mutation { acceptLoan(loanId: "inconnu") { id } }`,
    allowed: ["exchange_member"],
  },
  proposeLoanDates: {
    query: `mutation { proposeLoanDates(loanId: "inconnu", startDate: "2031-01-06", endDate: "2031-01-07") { id } }`,
    allowed: ["exchange_member"],
  },
  modifyLoan: {
    query: `mutation { modifyLoan(loanId: "inconnu", startDate: "2031-01-06", endDate: "2031-01-07") { id } }`,
    allowed: ["exchange_member"],
  },
  confirmLoan: {
    query: `mutation { confirmLoan(loanId: "inconnu") { id } }`,
    allowed: ["exchange_member"],
  },
  finishLoan: {
    query: `mutation { finishLoan(loanId: "inconnu") { id } }`,
    allowed: ["exchange_member"],
  },
  refuseLoan: {
    query: `mutation { refuseLoan(loanId: "inconnu") { id } }`,
    allowed: ["exchange_member"],
  },
};

/** What each role acts for in this test. */
const ACTS_FOR: Partial<Record<Role, NewApiKey["actsFor"]>> = {
  collectivite_agent: { kind: "collectivite", id: "lomme" },
  repairer: { kind: "repairer", id: "demo-01" },
  customer: { kind: "customer", id: "client-test" },
  exchange_member: { kind: "member", id: "demo-person-3" },
  partner: { kind: "partner", id: "covoiturage" },
};

describe("who may call each mutation", () => {
  it("covers every mutation of the API", () => {
    const schema = buildSchema(readFileSync("schema/api.graphql", "utf8"));
    expect(Object.keys(schema.getMutationType()!.getFields()).sort()).toEqual(
      Object.keys(MUTATIONS).sort(),
    );
  });

  const cases = Object.entries(MUTATIONS).flatMap(([name, { allowed }]) =>
    ROLES.map((role) => [name, role, role === "admin" || allowed.includes(role)] as const),
  );

  it.each(cases)("%s as %s: allowed = %s", async (name, role, allowed) => {
    const headers = role === "anonymous" ? {} : await hub.as(role, ACTS_FOR[role] ?? null);
    const { errors } = await hub.query(MUTATIONS[name]!.query, undefined, headers);
    const code = errors?.[0]?.extensions?.code;
    if (role === "admin") {
      // Past the role check; a move made for a customer, repairer or member needs a key acting for one.
      expect(code).not.toBe("UNAUTHENTICATED");
    } else if (allowed) {
      expect(["UNAUTHENTICATED", "FORBIDDEN"]).not.toContain(code);
    } else {
      expect(code).toBe(role === "anonymous" ? "UNAUTHENTICATED" : "FORBIDDEN");
    }
  });
});
