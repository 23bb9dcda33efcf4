import { randomUUID } from "node:crypto";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parisDate } from "../lib/time.js";
import {
  AppointmentStatsDocument,
  BookAppointmentDocument,
  CancelAppointmentDocument,
  MyAppointmentsDocument,
  PlatformBookingStatsDocument,
  ProposeAppointmentSlotDocument,
  RefuseAppointmentDocument,
  RepairerPageDocument,
  TerritoryRepairerSlotsDocument,
  TerritoryRepairersDocument,
  ValidateAppointmentDocument,
} from "../operations/generated/graphql.js";
import { addDays } from "../subgraphs/bookings/slots.js";
import { appointments, customers } from "../subgraphs/bookings/tables.js";
import { expireAppointments } from "../subgraphs/bookings/writes.js";
import { expectStatsToMatchPlainCounts } from "./appointment-stats.js";
import { type GraphQLResponse, startTestHub, type TestHub, tablesRead } from "./harness.js";

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub?.close());

const codeOf = (response: GraphQLResponse<unknown>) => response.errors?.[0]?.extensions?.code;
let customerSerial = 0;
const newCustomer = () => `test-client-${++customerSerial}`;

/** Free slots of a repairer from `daysAhead` days on: beyond the seeded appointments (two weeks), and distinct per test. */
async function freeSlots(repairerId: string, daysAhead: number): Promise<string[]> {
  const { data, errors } = await hub.query(RepairerPageDocument, {
    id: repairerId,
    from: addDays(parisDate(), daysAhead),
    days: 7,
  });
  expect(errors).toBeUndefined();
  return data!.repairer!.availableSlots.flatMap((d) => d.times);
}

/** Customers and repairers call with API keys of their own, as the gateway requires. */
const keys = new Map<string, Promise<Record<string, string>>>();
function caller(kind: "customer" | "repairer", id: string): Promise<Record<string, string>> {
  const key = `${kind}:${id}`;
  if (!keys.has(key)) keys.set(key, hub.as(kind, { kind, id }));
  return keys.get(key)!;
}

/** Runs a mutation as the `customer` or `repairer` named in its variables. */
async function act<Data, Variables>(
  document: TypedDocumentNode<Data, Variables>,
  { customer, repairer, ...variables }: Variables & { customer?: string; repairer?: string },
) {
  const headers = customer
    ? await caller("customer", customer)
    : repairer
      ? await caller("repairer", repairer)
      : {};
  return hub.query(document, variables as Variables, headers);
}

function book(
  repairerId: string,
  slotTime: string,
  customer = newCustomer(),
  bikeTypeId = "velo-classique",
) {
  return act(BookAppointmentDocument, {
    input: { repairerId, slotTime, bikeTypeId, prestationId: "probleme-de-frein" },
    customer,
  });
}

async function statusInDatabase(id: string) {
  const [row] = await hub.database.db.select().from(appointments).where(eq(appointments.id, id));
  return row!;
}

// First: the expiry tests below cancel every pending appointment, the seeded ones too.
describe("statistics, counts only", () => {
  it("counts the seeded year of appointments in every status, by month over 12 months", async () => {
    const { data, errors } = await hub.query(AppointmentStatsDocument, {
      groupBy: "STATUS",
      territoryId: "EPCI:200093201",
    });
    expect(errors).toBeUndefined();
    expect(data!.appointmentStats.map((s) => s.key)).toEqual([
      "CANCELLED",
      "PENDING_REPAIRER",
      "REFUSED",
      "VALIDATED",
    ]);
    const today = parisDate();
    const months = await hub.query(AppointmentStatsDocument, {
      groupBy: "MONTH",
      from: addDays(today, -364),
      to: today,
    });
    expect(months.data!.appointmentStats.length).toBeGreaterThanOrEqual(12);
    expect(
      months.data!.appointmentStats.every((m) => /^\d{4}-\d{2}$/.test(m.key) && m.count > 0),
    ).toBe(true);
    const libercourt = await hub.query(AppointmentStatsDocument, {
      groupBy: "REPAIRER",
      territoryId: "COM:62907",
    });
    expect(libercourt.data!.appointmentStats.map((s) => s.key)).toEqual([
      "demo-garage-a-velos-libercourt",
      "demo-itinerant-bassin-minier",
    ]);
    expect(
      codeOf(
        await hub.query(AppointmentStatsDocument, { groupBy: "STATUS", territoryId: "Lille" }),
      ),
    ).toBe("BAD_USER_INPUT");
  });

  it("adds booking statistics to the Rustine Libre platform only", async () => {
    const rustine = await hub.query(PlatformBookingStatsDocument, {
      slug: "rustine-libre",
      groupBy: "PRESTATION",
    });
    expect(rustine.data!.platform!.bookingStats!.map((s) => s.key)).toContain("probleme-de-frein");
    const other = await hub.query(PlatformBookingStatsDocument, { slug: "ebs" });
    expect(other.data!.platform).toMatchObject({ bookingStats: null });
  });
});

describe("repairers and their availability through the gateway", () => {
  it("answers the Must-show query: three MEL repairers, their commune, and free slots in the coming days", async () => {
    const { data, errors } = await hub.query(TerritoryRepairerSlotsDocument);
    expect(errors).toBeUndefined();
    const nodes = data!.territory!.repairers.nodes;
    expect(nodes).toHaveLength(3);
    for (const node of nodes) {
      expect(node.territory.name).toMatch(/\S/);
      expect(node.availableSlots).toHaveLength(7);
      const times = node.availableSlots.flatMap((d) => d.times);
      expect(times.length).toBeGreaterThan(0);
      expect(node.nextAvailableSlot).toBe(times[0]);
      for (const time of times)
        expect(time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000\+0[12]:00$/);
    }
    expect(nodes.map((n) => n.name)).toEqual(
      [...nodes.map((n) => n.name)].sort((a, b) => a.localeCompare(b)),
    );
  });

  it("lists repairers of contained communes and itinerant ones serving the territory, never disabled ones", async () => {
    const { data } = await hub.query(TerritoryRepairersDocument, {
      id: "EPCI:200093201",
      first: 100,
    });
    const ids = data!.territory!.repairers.nodes.map((n) => n.id);
    expect(ids).toContain("demo-04"); // Lomme, a commune associée inside Lille
    expect(ids).not.toContain("demo-12");
    expect(ids).not.toContain("demo-10"); // Libercourt
    expect(data!.territory!.repairerCount).toBe(ids.length);

    // La Madeleine has no workshop, only the itinerant repairer who travels there.
    const madeleine = await hub.query(TerritoryRepairersDocument, { id: "COM:59368" });
    expect(madeleine.data!.territory!.repairers.nodes).toMatchObject([
      { id: "demo-09", repairerTypes: [{ id: "reparateur-itinerant" }] },
    ]);

    const electric = await hub.query(TerritoryRepairersDocument, {
      id: "COM:62907",
      bikeTypeId: "velo-electrique",
    });
    expect(electric.data!.territory!.repairers.nodes.map((n) => n.id)).toEqual(["demo-10"]);
    const itinerant = await hub.query(TerritoryRepairersDocument, {
      id: "COM:62907",
      repairerTypeId: "reparateur-itinerant",
    });
    expect(itinerant.data!.territory!.repairers.nodes.map((n) => n.id)).toEqual(["demo-11"]);
  });

  it("reads the repairers' opening hours, closures and bookings only when a field asks them, then in the page's statement", async () => {
    const read = (nodeFields: string) =>
      tablesRead(
        hub,
        "bookings",
        `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Territory { repairers(first: 5) { edges { node { ${nodeFields} } } } } } }`,
        ["appointments", "closures", "opening_hours"],
        { representations: [{ __typename: "Territory", id: "EPCI:200093201" }] },
      );
    const nodesOf = (data: unknown) =>
      (
        data as { _entities: { repairers: { edges: { node: Record<string, unknown> }[] } }[] }
      )._entities[0]!.repairers.edges.map((e) => e.node);

    const [plain, plainRead] = await read("name");
    expect(nodesOf(plain)).toHaveLength(5);
    expect(plainRead).toEqual([]);
    const [hours, hoursRead] = await read("name openingHours { day } closures { startDate }");
    expect(nodesOf(hours).every((node) => (node.openingHours as unknown[]).length > 0)).toBe(true);
    expect(hoursRead).toEqual(["closures", "opening_hours"]);
    const [next, nextRead] = await read("name nextAvailableSlot");
    expect(nodesOf(next).some((node) => node.nextAvailableSlot)).toBe(true);
    expect(nextRead).toEqual(["appointments", "closures", "opening_hours"]);
  });

  it("shows a repairer's details with prices in cents and euros, and hides disabled repairers", async () => {
    const { data } = await hub.query(RepairerPageDocument, { slug: "demo-la-chambre-a-air" });
    expect(data!.repairer).toMatchObject({
      id: "demo-01",
      source: "demonstration",
      parallelSlots: 2,
      slotDurationMinutes: 60,
      territory: { id: "COM:59350", name: "Lille" },
      address: { city: "Lille", postcode: "59000" },
      bikeTypes: [{ name: "Vélo classique" }, { name: "Vélo électrique" }],
    });
    expect(data!.repairer!.interventions[0]).toEqual({
      name: "Réglage des freins",
      priceCents: 1000,
      priceEuros: 10,
    });
    expect(data!.repairer!.openingHours[0]).toEqual({
      day: "MONDAY",
      startTime: "09:00",
      endTime: "12:00",
    });
    expect((await hub.query(RepairerPageDocument, { id: "demo-12" })).data!.repairer).toBeNull();
  });

  it("refuses more than 60 days of slots", async () => {
    expect(codeOf(await hub.query(RepairerPageDocument, { id: "demo-01", days: 61 }))).toBe(
      "BAD_USER_INPUT",
    );
  });

  it("drops a slot from the answer once it holds as many appointments as the repairer has parallel slots", async () => {
    const { data } = await hub.query(TerritoryRepairersDocument, {
      id: "EPCI:200093201",
      first: 1,
    });
    const repairerId = data!.territory!.repairers.nodes[0]!.id;
    const page = await hub.query(RepairerPageDocument, { id: repairerId });
    const { parallelSlots, nextAvailableSlot } = page.data!.repairer!;
    for (let i = 0; i < parallelSlots; i++) {
      const booked = await book(repairerId, nextAvailableSlot!);
      expect(booked.errors).toBeUndefined();
      expect(booked.data!.bookAppointment).toMatchObject({
        status: "PENDING_REPAIRER",
        slotTime: nextAvailableSlot,
      });
      const after = await hub.query(RepairerPageDocument, { id: repairerId });
      const times = after.data!.repairer!.availableSlots.flatMap((d) => d.times);
      expect(times.includes(nextAvailableSlot!)).toBe(i < parallelSlots - 1);
    }
    expect(codeOf(await book(repairerId, nextAvailableSlot!))).toBe("SLOT_FULL");
  });
});

describe("never overbooked", () => {
  it("lets exactly 2 of 30 concurrent bookings through at a slot of capacity 2", async () => {
    const [slot] = await freeSlots("demo-01", 21);
    const results = await Promise.all(Array.from({ length: 30 }, () => book("demo-01", slot!)));
    const succeeded = results.filter((r) => r.data?.bookAppointment);
    expect(succeeded).toHaveLength(2);
    expect(results.filter((r) => codeOf(r) === "SLOT_FULL")).toHaveLength(28);
    const rows = await hub.database.db
      .select()
      .from(appointments)
      .where(
        and(eq(appointments.repairerId, "demo-01"), eq(appointments.slotTime, new Date(slot!))),
      );
    expect(rows).toHaveLength(2);
    expect(await freeSlots("demo-01", 21)).not.toContain(slot);
  });

  it("refuses past, closed, off-grid and unknown slots, and malformed input", async () => {
    const [slot] = await freeSlots("demo-02", 22);
    const offGrid = new Date(Date.parse(slot!) + 30 * 60_000).toISOString();
    expect(codeOf(await book("demo-02", offGrid))).toBe("SLOT_UNAVAILABLE");
    expect(codeOf(await book("demo-02", "2024-01-09T09:00:00+01:00"))).toBe("SLOT_UNAVAILABLE");
    const sunday = addDays(parisDate(), 7 - new Date(`${parisDate()}T12:00:00Z`).getUTCDay() || 7);
    expect(codeOf(await book("demo-02", `${sunday}T11:00:00+01:00`))).toBe("SLOT_UNAVAILABLE");
    expect(codeOf(await book("demo-99", slot!))).toBe("NOT_FOUND");
    expect(codeOf(await book("demo-12", slot!))).toBe("NOT_FOUND");
    expect(codeOf(await book("demo-02", slot!, newCustomer(), "velo-electrique"))).toBe(
      "BAD_USER_INPUT",
    );
    expect(codeOf(await book("demo-02", "demain matin"))).toBe("BAD_USER_INPUT");
    expect(codeOf(await book("demo-02", slot!, "Jean Dupont 06 12 34 56 78"))).toBe(
      "BAD_USER_INPUT",
    );
    const rows = await hub.database.db
      .select()
      .from(appointments)
      .where(eq(appointments.repairerId, "demo-02"));
    expect(rows.some((r) => r.slotTime.getTime() === Date.parse(slot!))).toBe(false);
  });
});

describe("the appointment workflow", () => {
  const repairer = "demo-03";
  let slots: string[];
  let next = 0;
  beforeAll(async () => {
    slots = await freeSlots(repairer, 28);
  });
  async function pending(): Promise<{ id: string; customer: string }> {
    const customer = newCustomer();
    const { data, errors } = await book(repairer, slots[next++]!, customer);
    expect(errors).toBeUndefined();
    return { id: data!.bookAppointment.id, customer };
  }

  it("validates, refuses, moves and cancels as Rustine Libre does", async () => {
    const a = await pending();
    expect(
      (await act(ValidateAppointmentDocument, { id: a.id, repairer })).data!.validateAppointment
        .status,
    ).toBe("VALIDATED");
    const moved = await act(ProposeAppointmentSlotDocument, {
      id: a.id,
      slotTime: slots[next]!,
      repairer,
    });
    expect(moved.data!.proposeAppointmentSlot).toEqual({
      id: a.id,
      status: "VALIDATED",
      slotTime: slots[next++],
    });
    expect(
      (await act(CancelAppointmentDocument, { id: a.id, repairer })).data!.cancelAppointment,
    ).toMatchObject({ status: "CANCELLED", cancelledBy: "REPAIRER" });

    const b = await pending();
    expect(
      (await act(RefuseAppointmentDocument, { id: b.id, repairer })).data!.refuseAppointment.status,
    ).toBe("REFUSED");

    const c = await pending();
    const proposed = await act(ProposeAppointmentSlotDocument, {
      id: c.id,
      slotTime: slots[next]!,
      repairer,
    });
    expect(proposed.data!.proposeAppointmentSlot.status).toBe("VALIDATED");
    next++;

    const d = await pending();
    expect(
      (await act(CancelAppointmentDocument, { id: d.id, customer: d.customer })).data!
        .cancelAppointment,
    ).toMatchObject({ status: "CANCELLED", cancelledBy: "CUSTOMER" });
  });

  it("answers ILLEGAL_TRANSITION and changes nothing when the status forbids the action", async () => {
    const refused = await pending();
    await act(RefuseAppointmentDocument, { id: refused.id, repairer });
    const cancelled = await pending();
    await act(CancelAppointmentDocument, { id: cancelled.id, customer: cancelled.customer });
    const validated = await pending();
    await act(ValidateAppointmentDocument, { id: validated.id, repairer });

    const attempts = [
      ...[refused, cancelled].flatMap((a) => [
        () => act(ValidateAppointmentDocument, { id: a.id, repairer }),
        () => act(RefuseAppointmentDocument, { id: a.id, repairer }),
        () => act(ProposeAppointmentSlotDocument, { id: a.id, slotTime: slots[next]!, repairer }),
        () => act(CancelAppointmentDocument, { id: a.id, customer: a.customer }),
        () => act(CancelAppointmentDocument, { id: a.id, repairer }),
      ]),
      () => act(ValidateAppointmentDocument, { id: validated.id, repairer }),
      () => act(RefuseAppointmentDocument, { id: validated.id, repairer }),
    ];
    const before = await Promise.all(
      [refused, cancelled, validated].map((a) => statusInDatabase(a.id)),
    );
    for (const attempt of attempts) expect(codeOf(await attempt())).toBe("ILLEGAL_TRANSITION");
    expect(
      await Promise.all([refused, cancelled, validated].map((a) => statusInDatabase(a.id))),
    ).toEqual(before);
  });

  it("lets only the appointment's own customer or repairer act", async () => {
    const a = await pending();
    expect(codeOf(await act(ValidateAppointmentDocument, { id: a.id, repairer: "demo-01" }))).toBe(
      "FORBIDDEN",
    );
    expect(
      codeOf(await act(CancelAppointmentDocument, { id: a.id, customer: "someone-else" })),
    ).toBe("FORBIDDEN");
    expect(codeOf(await act(CancelAppointmentDocument, { id: a.id }))).toBe("UNAUTHENTICATED");
    // Other roles may not book or answer, whatever they act for.
    const member = await hub.as("exchange_member", { kind: "member", id: "demo-person-1" });
    expect(codeOf(await hub.query(ValidateAppointmentDocument, { id: a.id }, member))).toBe(
      "FORBIDDEN",
    );
    expect(
      codeOf(await hub.query(CancelAppointmentDocument, { id: a.id }, await hub.as("analyst"))),
    ).toBe("FORBIDDEN");
    expect(
      codeOf(
        await act(ValidateAppointmentDocument, {
          id: "00000000-0000-4000-8000-000000000000",
          repairer,
        }),
      ),
    ).toBe("NOT_FOUND");
    expect((await statusInDatabase(a.id)).status).toBe("PENDING_REPAIRER");
  });

  it("does not move an appointment to a full or closed slot", async () => {
    const a = await pending();
    const full = slots[next++]!;
    for (let i = 0; i < 3; i++) expect((await book(repairer, full)).errors).toBeUndefined();
    expect(
      codeOf(await act(ProposeAppointmentSlotDocument, { id: a.id, slotTime: full, repairer })),
    ).toBe("SLOT_FULL");
    expect(
      codeOf(
        await act(ProposeAppointmentSlotDocument, {
          id: a.id,
          slotTime: "2024-01-09T09:00:00+01:00",
          repairer,
        }),
      ),
    ).toBe("SLOT_UNAVAILABLE");
    expect(await statusInDatabase(a.id)).toMatchObject({ status: "PENDING_REPAIRER" });
  });

  it("cancels pending appointments unanswered after 72 h, and leaves the others", async () => {
    const waiting = await pending();
    const answered = await pending();
    await act(ValidateAppointmentDocument, { id: answered.id, repairer });
    const { createdAt } = await statusInDatabase(waiting.id);
    const at = (hours: number) => new Date(createdAt.getTime() + hours * 3600_000);

    await expireAppointments(hub.database.db, at(71.9));
    expect((await statusInDatabase(waiting.id)).status).toBe("PENDING_REPAIRER");
    expect(await expireAppointments(hub.database.db, at(72))).toBeGreaterThanOrEqual(1);
    expect(await statusInDatabase(waiting.id)).toMatchObject({
      status: "CANCELLED",
      cancelledBy: "EXPIRY",
    });
    expect((await statusInDatabase(answered.id)).status).toBe("VALIDATED");
  });

  it("cancels a pending appointment whose time has passed", async () => {
    const waiting = await pending();
    const { slotTime } = await statusInDatabase(waiting.id);
    // As if booked an hour before its slot: only the "time has passed" rule can expire it.
    await hub.database.db
      .update(appointments)
      .set({ createdAt: new Date(slotTime.getTime() - 3600_000) })
      .where(eq(appointments.id, waiting.id));
    await expireAppointments(hub.database.db, new Date(slotTime.getTime() - 1));
    expect((await statusInDatabase(waiting.id)).status).toBe("PENDING_REPAIRER");
    await expireAppointments(hub.database.db, slotTime);
    expect((await statusInDatabase(waiting.id)).status).toBe("CANCELLED");
  });
});

describe("a customer's contact", () => {
  const contact = { name: "Camille", phone: "06 01 02 03 04" };

  it("is kept when booking, and shown to the customer, its repairer and admins only", async () => {
    const customer = newCustomer();
    const [slot] = await freeSlots("demo-02", 35);
    const booked = await act(BookAppointmentDocument, {
      input: { repairerId: "demo-02", slotTime: slot!, bikeTypeId: "velo-classique", contact },
      customer,
    });
    expect(booked.errors).toBeUndefined();
    const id = booked.data!.bookAppointment.id;

    const seenBy = async (headers: Record<string, string>) => {
      const { data, errors } = await hub.query(MyAppointmentsDocument, { first: 100 }, headers);
      expect(errors).toBeUndefined();
      return data!.myAppointments.nodes.find((a) => a.id === id);
    };
    expect(await seenBy(await caller("customer", customer))).toMatchObject({
      status: "PENDING_REPAIRER",
      customer: contact,
    });
    expect((await seenBy(await caller("repairer", "demo-02")))?.customer).toEqual(contact);
    expect(await seenBy(await caller("repairer", "demo-01"))).toBeUndefined();
    expect(await seenBy(await caller("customer", newCustomer()))).toBeUndefined();
    expect(
      (
        await hub.query(
          MyAppointmentsDocument,
          { status: "PENDING_REPAIRER", first: 100 },
          await hub.as("admin"),
        )
      ).data?.myAppointments.nodes.find((a) => a.id === id)?.customer,
    ).toEqual(contact);
  });

  it("lists a repairer's own appointments by status, latest first", async () => {
    const { data } = await hub.query(
      MyAppointmentsDocument,
      { status: "VALIDATED", first: 100 },
      await caller("repairer", "demo-01"),
    );
    const nodes = data!.myAppointments.nodes;
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes.every((a) => a.status === "VALIDATED" && a.repairer?.id === "demo-01")).toBe(true);
    expect(nodes.map((a) => a.slotTime)).toEqual(
      nodes
        .map((a) => a.slotTime)
        .sort()
        .reverse(),
    );
  });

  it("refuses an invalid phone number and books nothing", async () => {
    const customer = newCustomer();
    const [slot] = await freeSlots("demo-02", 42);
    const before = (
      await hub.database.db.select().from(appointments).where(eq(appointments.customerId, customer))
    ).length;
    const refused = await act(BookAppointmentDocument, {
      input: {
        repairerId: "demo-02",
        slotTime: slot!,
        bikeTypeId: "velo-classique",
        contact: { phone: "appelez-moi" },
      },
      customer,
    });
    expect(codeOf(refused)).toBe("BAD_USER_INPUT");
    expect(
      (
        await hub.database.db
          .select()
          .from(appointments)
          .where(eq(appointments.customerId, customer))
      ).length,
    ).toBe(before);
  });

  it("asks an anonymous caller to authenticate, and refuses an analyst", async () => {
    expect(codeOf(await hub.query(MyAppointmentsDocument, {}))).toBe("UNAUTHENTICATED");
    expect(codeOf(await hub.query(MyAppointmentsDocument, {}, await hub.as("analyst")))).toBe(
      "FORBIDDEN",
    );
  });
});

// Last: after the bookings, workflow steps and expiry runs above.
describe.skipIf(inject("testDatabase").driver !== "postgres")(
  "concurrent bookings on PostgreSQL",
  () => {
    it("of two repairers in the same month do not wait for each other's commit, and keep the statistics exact", async () => {
      const db = hub.database.db;
      await db.insert(customers).values({ id: "concurrent" }).onConflictDoNothing();
      const slotTime = new Date(`${addDays(parisDate(), 45)}T10:00:00Z`);
      // demo-01 and demo-02 fall on different stripes of the platform's totals (bookings.totals_stripe).
      const booking = (repairerId: string) => {
        const now = new Date();
        return {
          id: randomUUID(),
          repairerId,
          customerId: "concurrent",
          slotTime,
          bikeTypeId: "velo-classique",
          status: "PENDING_REPAIRER",
          createdAt: now,
          updatedAt: now,
          source: "test",
        };
      };
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let inserted!: () => void;
      const firstInserted = new Promise<void>((resolve) => (inserted = resolve));
      const first = db.transaction(async (tx) => {
        await tx.insert(appointments).values(booking("demo-01"));
        inserted();
        await held;
      });
      await firstInserted;
      // The same month, status and prestation: with one totals row per key, this waited for the first to commit.
      try {
        await db.transaction(async (tx) => {
          await tx.execute(sql`set local lock_timeout = '2s'`);
          await tx.insert(appointments).values(booking("demo-02"));
        });
      } finally {
        release();
        await first;
      }
      await expectStatsToMatchPlainCounts(hub, [
        {},
        { from: addDays(parisDate(), 40), to: addDays(parisDate(), 50) },
      ]);
    });
  },
);

describe("statistics beside a plain count", () => {
  it("agree after bookings, workflow steps, the expiry job and writes made straight in SQL, across Paris month boundaries", async () => {
    const db = hub.database.db;
    await db.insert(customers).values({ id: "stats-direct" }).onConflictDoNothing();
    // Straight in SQL, as the scale generator and seeds write: around midnight in Paris as a month turns, in summer and winter time.
    const direct = (
      slotTime: string,
      status: "VALIDATED" | "REFUSED" | "CANCELLED",
      prestationId: string | null = null,
    ) => {
      const now = new Date();
      return {
        id: randomUUID(),
        repairerId: "demo-06",
        customerId: "stats-direct",
        slotTime: new Date(slotTime),
        bikeTypeId: "velo-classique",
        prestationId,
        status,
        cancelledBy: status === "CANCELLED" ? "CUSTOMER" : null,
        createdAt: now,
        updatedAt: now,
        source: "test",
      };
    };
    const inserted = await db
      .insert(appointments)
      .values([
        direct("2026-03-31T21:30:00Z", "VALIDATED"), // 31 March, 23:30 in Paris
        direct("2026-03-31T22:30:00Z", "VALIDATED", "probleme-de-frein"), // 1 April, 00:30
        direct("2025-12-31T22:30:00Z", "REFUSED"), // 31 December, 23:30
        direct("2025-12-31T23:30:00Z", "CANCELLED"), // 1 January, 00:30
        direct("2026-10-31T23:30:00Z", "VALIDATED"), // 1 November, 00:30
      ])
      .returning({ id: appointments.id });
    await db
      .update(appointments)
      .set({ repairerId: "demo-07", prestationId: "probleme-de-pneu" })
      .where(eq(appointments.id, inserted[0]!.id));
    await db
      .update(appointments)
      .set({ slotTime: new Date("2026-04-30T22:30:00Z") })
      .where(eq(appointments.id, inserted[1]!.id)); // 1 May, 00:30
    await db.delete(appointments).where(eq(appointments.id, inserted[2]!.id));

    const today = parisDate();
    await expectStatsToMatchPlainCounts(hub, [
      {},
      { territoryId: "COM:59512" },
      { territoryId: "DEP:59" },
      { from: "2026-04-01", to: "2026-04-30" },
      { from: "2026-03-31", to: "2026-04-01" },
      { from: "2025-12-15", to: "2026-11-01" },
      { from: "2026-01-01" },
      { to: "2026-03-31" },
      { territoryId: "COM:59599", from: "2026-03-31", to: "2026-05-01" },
      // Around the appointments booked and moved by the tests above.
      { from: addDays(today, -10), to: addDays(today, 60) },
    ]);
  });
});
