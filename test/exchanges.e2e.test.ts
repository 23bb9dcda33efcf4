import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AcceptLoanDocument,
  CatalogueDocument,
  ConfirmLoanDocument,
  FinishLoanDocument,
  LoanStatsDocument,
  type LoanStatus,
  ModifyLoanDocument,
  MyLoansDocument,
  ProductAvailabilityDocument,
  ProposeLoanDatesDocument,
  RefuseLoanDocument,
  RequestLoanDocument,
  TerritoryExchangesDocument,
  TerritoryProductPagesDocument,
  type TerritoryProductPagesQuery,
} from "../operations/generated/graphql.js";
import { loanEvents, loans, members } from "../subgraphs/exchanges/tables.js";
import { LOAN_TRANSITIONS, type LoanAction } from "../subgraphs/exchanges/workflow.js";
import { startTestHub, type TestHub } from "./harness.js";

let hub: TestHub;
/** Each member calls with an API key of its own. */
const keys = new Map<string, Promise<Record<string, string>>>();
const as = (member: string) => {
  if (!keys.has(member))
    keys.set(member, hub.as("exchange_member", { kind: "member", id: member }));
  return keys.get(member)!;
};

beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub?.close());

// Seeded demonstration data: the Lomme objetothèque lends a drill; two neighbours borrow.
const DRILL = "demo-product-01";
const LENDER = "demo-place-lomme";
const BORROWER = "demo-person-3";
const OTHER_BORROWER = "demo-person-4";

/** A fresh week far in the future for each loan, so that confirmations never collide by accident. */
let week = 0;
function nextWeek(): { startDate: string; endDate: string } {
  const start = new Date(Date.UTC(2031, 0, 6 + 7 * week++));
  const end = new Date(start.getTime() + 3 * 86_400_000);
  return { startDate: start.toISOString().slice(0, 10), endDate: end.toISOString().slice(0, 10) };
}

async function requestLoan(dates = nextWeek(), productId = DRILL, member = BORROWER) {
  const { data, errors } = await hub.query(
    RequestLoanDocument,
    { productId, ...dates },
    await as(member),
  );
  expect(errors).toBeUndefined();
  return data!.requestLoan.id;
}

const MOVES = {
  accept: async (loanId: string, member: string) =>
    hub.query(AcceptLoanDocument, { loanId }, await as(member)),
  proposeDates: async (loanId: string, member: string) =>
    hub.query(ProposeLoanDatesDocument, { loanId, ...nextWeek() }, await as(member)),
  modify: async (loanId: string, member: string) =>
    hub.query(ModifyLoanDocument, { loanId, ...nextWeek() }, await as(member)),
  confirm: async (loanId: string, member: string) =>
    hub.query(ConfirmLoanDocument, { loanId }, await as(member)),
  finish: async (loanId: string, member: string) =>
    hub.query(FinishLoanDocument, { loanId }, await as(member)),
  refuse: async (loanId: string, member: string) =>
    hub.query(RefuseLoanDocument, { loanId }, await as(member)),
} satisfies Record<LoanAction, unknown>;

/** A loan brought to `status` through legal moves. */
async function loanIn(status: LoanStatus): Promise<string> {
  const id = await requestLoan();
  const path: Record<LoanStatus, [LoanAction, string][]> = {
    NEW: [],
    TO_CONFIRM: [["accept", LENDER]],
    CONFIRMED: [
      ["accept", LENDER],
      ["confirm", BORROWER],
    ],
    FINISHED: [
      ["accept", LENDER],
      ["confirm", BORROWER],
      ["finish", LENDER],
    ],
    REFUSED: [["refuse", LENDER]],
  };
  for (const [action, member] of path[status])
    expect((await MOVES[action](id, member)).errors).toBeUndefined();
  return id;
}

const statusOf = async (id: string) =>
  (await hub.database.db.select().from(loans).where(eq(loans.id, id)))[0]!.status;
const eventsOf = async (id: string) =>
  (
    await hub.database.db.select({ n: count() }).from(loanEvents).where(eq(loanEvents.loanId, id))
  )[0]!.n;

describe("the catalogue through the gateway", () => {
  it("shows Lomme's instance, places and products", async () => {
    const { data, errors } = await hub.query(TerritoryExchangesDocument, {
      id: "COMA:59355",
      first: 5,
    });
    expect(errors).toBeUndefined();
    const territory = data!.territory!;
    expect(territory.exchangeInstances.map((i) => i.slug)).toContain("lomme");
    expect(territory.places.map((p) => p.name)).toEqual(["Objetothèque de démonstration de Lomme"]);
    expect(territory.products.nodes).toHaveLength(5);
    expect(territory.products.totalCount).toBeGreaterThan(5);
    expect(territory.products.nodes[0]).toMatchObject({
      name: expect.any(String),
      type: expect.stringMatching(/OBJECT|SERVICE/),
      category: { name: expect.any(String) },
    });
  });

  it("lists a territory's products with those of the territories it contains", async () => {
    const lomme = await hub.query(TerritoryExchangesDocument, { id: "COMA:59355", first: 100 });
    const mel = await hub.query(TerritoryExchangesDocument, { id: "EPCI:200093201", first: 100 });
    const lommeIds = lomme.data!.territory!.products.nodes.map((p) => p.id);
    const melIds = mel.data!.territory!.products.nodes.map((p) => p.id);
    expect(melIds).toEqual(expect.arrayContaining(lommeIds));
    expect(melIds.length).toBeGreaterThan(lommeIds.length);
    const bikes = await hub.query(TerritoryExchangesDocument, {
      id: "EPCI:200093201",
      first: 100,
      categorySlug: "velos-accessoires",
    });
    expect(
      bikes.data!.territory!.products.nodes.every((p) => p.category.id === "velos-accessoires"),
    ).toBe(true);
  });

  it("pages each territory's products in name order, every page with the list's total, past the end too", async () => {
    const whole = (await hub.query(TerritoryProductPagesDocument, { first: 100 })).data!;
    for (const list of [whole.lomme!.products, whole.mel!.products]) {
      expect(list.totalCount).toBe(list.nodes.length);
      const names = list.nodes.map((p) => p.name);
      expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    expect(whole.mel!.products.totalCount).toBeGreaterThan(whole.lomme!.products.totalCount);

    // Pages of 2, the two territories in each request, up to a page past the end of both lists.
    const seen = { lomme: [] as string[], mel: [] as string[] };
    let after: string | null = null;
    for (let page = 0; page <= Math.ceil(whole.mel!.products.totalCount / 2); page++) {
      const { data, errors }: { data?: TerritoryProductPagesQuery | null; errors?: unknown } =
        await hub.query(TerritoryProductPagesDocument, { first: 2, after });
      expect(errors).toBeUndefined();
      for (const key of ["lomme", "mel"] as const) {
        const list = data![key]!.products;
        expect(list.totalCount).toBe(whole[key]!.products.totalCount);
        expect(list.nodes.every((p) => p.category.id)).toBe(true);
        seen[key].push(...list.nodes.map((p) => p.id));
      }
      after = data!.mel!.products.pageInfo.endCursor ?? null;
    }
    expect(seen.lomme).toEqual(whole.lomme!.products.nodes.map((p) => p.id));
    expect(seen.mel).toEqual(whole.mel!.products.nodes.map((p) => p.id));

    // An empty page is refused at the gateway (a page size is at least 1).
    const none = await hub.query(TerritoryProductPagesDocument, { first: 0 });
    expect(none.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      limit: "pageSize",
    });
  });

  it("never lists deleted or restricted products, nor a person's address or commune", async () => {
    const { data } = await hub.query(CatalogueDocument, { first: 100 });
    expect(
      data!.products.nodes.every((p) => p.status === "ACTIVE" && p.visibility === "PUBLIC"),
    ).toBe(true);
    const names = (await hub.query(TerritoryExchangesDocument, { id: "REG:32", first: 100 })).data!
      .territory!.products.nodes;
    expect(names.map((p) => p.id)).not.toContain("demo-product-12"); // restricted to a group
    expect(names.map((p) => p.id)).not.toContain("demo-product-15"); // deleted
    const people = names.map((p) => p.owner).filter((o) => o.kind === "PERSON");
    expect(people.length).toBeGreaterThan(0);
    expect(people.every((o) => o.address === null && o.territory === null)).toBe(true);
  });

  it("shows availability: owner-set periods and confirmed loans", async () => {
    const { data } = await hub.query(ProductAvailabilityDocument, {
      id: "demo-product-04",
      from: "2026-06-01",
      to: "2026-07-15",
    });
    expect(data?.product?.availability).toEqual({
      available: false,
      busy: [{ start: "2026-07-01", end: "2026-08-31", reason: "UNAVAILABLE" }],
    });
  });
});

describe("loans", () => {
  const statuses: LoanStatus[] = ["NEW", "TO_CONFIRM", "CONFIRMED", "FINISHED", "REFUSED"];
  const rightActor: Record<LoanAction, string> = {
    accept: LENDER,
    proposeDates: LENDER,
    modify: BORROWER,
    confirm: BORROWER,
    finish: LENDER,
    refuse: BORROWER,
  };
  const cases = (Object.keys(LOAN_TRANSITIONS) as LoanAction[]).flatMap((action) =>
    statuses.map(
      (from) =>
        [
          action,
          from,
          (LOAN_TRANSITIONS[action].from as readonly string[]).includes(from),
        ] as const,
    ),
  );

  it.each(cases)("%s from %s: legal = %s", async (action, from, legal) => {
    const id = await loanIn(from);
    const eventsBefore = await eventsOf(id);
    const { data, errors } = await MOVES[action](id, rightActor[action]);
    if (legal) {
      expect(errors).toBeUndefined();
      expect(await statusOf(id)).toBe(LOAN_TRANSITIONS[action].to);
      expect(Object.values(data!)[0]).toMatchObject({ status: LOAN_TRANSITIONS[action].to });
      expect(await eventsOf(id)).toBe(eventsBefore + 1);
    } else {
      expect(errors?.[0]?.extensions).toMatchObject({ code: "ILLEGAL_TRANSITION", from });
      expect(await statusOf(id)).toBe(from);
      expect(await eventsOf(id)).toBe(eventsBefore);
    }
  });

  it.each(Object.keys(LOAN_TRANSITIONS) as LoanAction[])(
    "refuses %s by someone who may not make it",
    async (action) => {
      const id = await loanIn(
        action === "finish" ? "CONFIRMED" : action === "confirm" ? "TO_CONFIRM" : "NEW",
      );
      const wrong =
        LOAN_TRANSITIONS[action].by === "lender"
          ? BORROWER
          : LOAN_TRANSITIONS[action].by === "borrower"
            ? LENDER
            : OTHER_BORROWER;
      const { errors } = await MOVES[action](id, wrong);
      expect(errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    },
  );

  it("sends a loan back to NEW when the borrower changes its dates", async () => {
    const id = await loanIn("TO_CONFIRM");
    const dates = nextWeek();
    const { data } = await hub.query(
      ModifyLoanDocument,
      { loanId: id, ...dates },
      await as(BORROWER),
    );
    expect(data?.modifyLoan).toEqual({ id, status: "NEW", ...dates });
  });

  it.each([
    [
      "in the past",
      { startDate: "2020-01-01", endDate: "2020-01-03" },
      DRILL,
      BORROWER,
      "BAD_USER_INPUT",
    ],
    [
      "ending before it starts",
      { startDate: "2031-12-10", endDate: "2031-12-01" },
      DRILL,
      BORROWER,
      "BAD_USER_INPUT",
    ],
    ["of one's own product", undefined, DRILL, LENDER, "BAD_USER_INPUT"],
    ["of a deleted product", undefined, "demo-product-15", BORROWER, "NOT_FOUND"],
    ["by an unknown member", undefined, DRILL, "personne", "NOT_FOUND"],
  ] as const)("refuses a request %s", async (_, dates, productId, member, code) => {
    const { errors } = await hub.query(
      RequestLoanDocument,
      { productId, ...(dates ?? nextWeek()) },
      await as(member),
    );
    expect(errors?.[0]?.extensions?.code).toBe(code);
  });

  it("asks an anonymous caller to authenticate, and refuses other roles", async () => {
    const anonymous = await hub.query(RequestLoanDocument, { productId: DRILL, ...nextWeek() });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const agent = await hub.query(
      RequestLoanDocument,
      { productId: DRILL, ...nextWeek() },
      await hub.as("collectivite_agent", { kind: "collectivite", id: "lomme" }),
    );
    expect(agent.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const badKey = await hub.query(
      RequestLoanDocument,
      { productId: DRILL, ...nextWeek() },
      { authorization: "Bearer hub_000000000000_forged" },
    );
    expect(badKey.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("lends an object once at a time: 20 overlapping confirmations at once, exactly one succeeds", async () => {
    const dates = nextWeek();
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const id = await requestLoan(dates, DRILL, i % 2 ? BORROWER : OTHER_BORROWER);
      expect((await MOVES.accept(id, LENDER)).errors).toBeUndefined();
      ids.push(id);
    }
    const events = (await hub.database.db.select({ n: count() }).from(loanEvents))[0]!.n;
    const answers = await Promise.all(
      ids.map((id, i) => MOVES.confirm(id, i % 2 ? BORROWER : OTHER_BORROWER)),
    );
    const confirmed = answers.filter((a) => !a.errors);
    expect(confirmed).toHaveLength(1);
    expect(
      answers.filter((a) => a.errors?.[0]?.extensions?.code === "PRODUCT_UNAVAILABLE"),
    ).toHaveLength(19);
    const stored = await hub.database.db
      .select()
      .from(loans)
      .where(and(eq(loans.productId, DRILL), eq(loans.startDate, dates.startDate)));
    expect(stored.filter((l) => l.status === "CONFIRMED")).toHaveLength(1);
    expect(stored.filter((l) => l.status === "TO_CONFIRM")).toHaveLength(19);
    // Only the confirmation that succeeded left a trace.
    expect((await hub.database.db.select({ n: count() }).from(loanEvents))[0]!.n).toBe(events + 1);
    const { data } = await hub.query(ProductAvailabilityDocument, {
      id: DRILL,
      from: dates.startDate,
      to: dates.endDate,
    });
    expect(data?.product?.availability.busy).toEqual([
      { start: dates.startDate, end: dates.endDate, reason: "LOAN" },
    ]);
  });
});

describe("loan statistics", () => {
  it("groups the seeded year by month, counts only", async () => {
    const { data } = await hub.query(LoanStatsDocument, {
      groupBy: "MONTH",
      from: "2025-12-01",
      to: "2026-11-30",
    });
    const months = data!.loanStats.map((b) => b.key);
    expect(months).toEqual([
      "2025-12",
      ...Array.from({ length: 11 }, (_, i) => `2026-${String(i + 1).padStart(2, "0")}`),
    ]);
    expect(data!.loanStats.reduce((sum, b) => sum + b.count, 0)).toBe(30);
  });

  it("filters by territory and instance, and groups by category", async () => {
    const lomme = await hub.query(LoanStatsDocument, {
      groupBy: "INSTANCE",
      territoryId: "COMA:59355",
      from: "2025-12-01",
      to: "2026-11-30",
    });
    expect(lomme.data!.loanStats.map((b) => b.key)).toEqual(["lomme"]);
    const byCategory = await hub.query(LoanStatsDocument, {
      groupBy: "CATEGORY",
      instanceSlug: "apes-demo",
      to: "2026-11-30",
    });
    expect(byCategory.data!.loanStats.length).toBeGreaterThan(2);
    const bad = await hub.query(LoanStatsDocument, { groupBy: "MONTH", territoryId: "Lomme" });
    expect(bad.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});

describe("a member's own loans and contact", () => {
  beforeAll(async () => {
    await hub.database.db
      .update(members)
      .set({ email: "voisin3@exemple.org", phone: "06 11 22 33 44" })
      .where(eq(members.id, BORROWER));
  });

  it("lists the loans a member borrows, with its own contact and never another's", async () => {
    const id = await requestLoan();
    const { data, errors } = await hub.query(MyLoansDocument, { first: 100 }, await as(BORROWER));
    expect(errors).toBeUndefined();
    const loan = data!.myLoans.nodes.find((l) => l.id === id);
    expect(loan).toMatchObject({
      status: "NEW",
      lender: { id: LENDER, contact: null },
      borrower: {
        id: BORROWER,
        contact: { email: "voisin3@exemple.org", phone: "06 11 22 33 44" },
      },
    });
    expect(
      data!.myLoans.nodes.every((l) => l.borrower.id === BORROWER || l.lender.id === BORROWER),
    ).toBe(true);
  });

  it("lists the loans a member lends, filtered by status, without the borrower's contact", async () => {
    const id = await requestLoan();
    const { data } = await hub.query(
      MyLoansDocument,
      { status: "NEW", first: 100 },
      await as(LENDER),
    );
    const loan = data!.myLoans.nodes.find((l) => l.id === id);
    expect(loan).toMatchObject({
      lender: { id: LENDER },
      borrower: { id: BORROWER, contact: null },
    });
    expect(data!.myLoans.nodes.every((l) => l.status === "NEW" && l.lender.id === LENDER)).toBe(
      true,
    );
    const other = await hub.query(MyLoansDocument, { first: 100 }, await as(OTHER_BORROWER));
    expect(other.data!.myLoans.nodes.some((l) => l.id === id)).toBe(false);
  });

  it("shows a member's contact to an admin, and to nobody in public answers", async () => {
    const admin = await hub.query(MyLoansDocument, { first: 100 }, await hub.as("admin"));
    expect(
      admin.data!.myLoans.nodes.find((l) => l.borrower.id === BORROWER)?.borrower.contact?.email,
    ).toBe("voisin3@exemple.org");
    expect((await hub.query(MyLoansDocument, {})).errors?.[0]?.extensions?.code).toBe(
      "UNAUTHENTICATED",
    );
  });
});
