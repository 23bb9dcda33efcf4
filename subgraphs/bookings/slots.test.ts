import { describe, expect, it } from "vitest";
import {
  availableSlots,
  firstAvailableSlot,
  isBookableTime,
  openingSlots,
  type Schedule,
} from "./slots.js";
import { nextStatus, TRANSITIONS } from "./workflow.js";

const sundays = (hours: { startTime: string; endTime: string }[]): Schedule => ({
  slotDurationMinutes: 60,
  parallelSlots: 1,
  openingHours: hours.map((h) => ({ weekday: 7, ...h })),
  closures: [],
});
const iso = (dates: Date[]) => dates.map((d) => d.toISOString());
const LONG_AGO = new Date("2020-01-01T00:00:00Z");

describe("slots across the daylight-saving changes (Europe/Paris)", () => {
  it("keeps wall-clock times on the last Sunday of March, with the new +02:00 offset", () => {
    const days = availableSlots(
      sundays([{ startTime: "09:00", endTime: "12:00" }]),
      "2026-03-22",
      8,
      LONG_AGO,
      new Map(),
    );
    expect(days[0]!.times).toEqual([
      "2026-03-22T09:00:00.000+01:00",
      "2026-03-22T10:00:00.000+01:00",
      "2026-03-22T11:00:00.000+01:00",
    ]);
    expect(days[7]).toEqual({
      date: "2026-03-29",
      times: [
        "2026-03-29T09:00:00.000+02:00",
        "2026-03-29T10:00:00.000+02:00",
        "2026-03-29T11:00:00.000+02:00",
      ],
    });
  });

  it("skips the hour that does not exist in March and keeps both sides of it", () => {
    expect(
      iso(openingSlots(sundays([{ startTime: "01:00", endTime: "04:00" }]), "2026-03-29")),
    ).toEqual([
      "2026-03-29T00:00:00.000Z", // 01:00+01:00
      "2026-03-29T01:00:00.000Z", // 03:00+02:00; 02:00 never happens
    ]);
  });

  it("keeps wall-clock times on the last Sunday of October, back to +01:00", () => {
    const [day] = availableSlots(
      sundays([{ startTime: "09:00", endTime: "11:00" }]),
      "2026-10-25",
      1,
      LONG_AGO,
      new Map(),
    );
    expect(day!.times).toEqual(["2026-10-25T09:00:00.000+01:00", "2026-10-25T10:00:00.000+01:00"]);
    const [saturdayBefore] = availableSlots(
      { ...sundays([]), openingHours: [{ weekday: 6, startTime: "09:00", endTime: "10:00" }] },
      "2026-10-24",
      1,
      LONG_AGO,
      new Map(),
    );
    expect(saturdayBefore!.times).toEqual(["2026-10-24T09:00:00.000+02:00"]);
  });
});

describe("availability", () => {
  const schedule: Schedule = {
    slotDurationMinutes: 30,
    parallelSlots: 2,
    openingHours: [
      { weekday: 1, startTime: "09:00", endTime: "10:30" },
      { weekday: 1, startTime: "14:00", endTime: "15:00" },
    ],
    closures: [{ startDate: "2026-06-08", endDate: "2026-06-08" }],
  };

  it("steps every slot duration and drops past times, full slots and closed days", () => {
    const now = new Date("2026-06-01T07:10:00Z"); // Monday 09:10 in Paris
    const booked = new Map([
      [Date.parse("2026-06-01T12:00:00Z"), 2],
      [Date.parse("2026-06-01T12:30:00Z"), 1],
    ]);
    const days = availableSlots(schedule, "2026-06-01", 8, now, booked);
    expect(days[0]!.times).toEqual([
      "2026-06-01T09:30:00.000+02:00",
      "2026-06-01T10:00:00.000+02:00",
      "2026-06-01T14:30:00.000+02:00",
    ]);
    expect(days.slice(1, 7).every((d) => d.times.length === 0)).toBe(true);
    expect(days[7]).toEqual({ date: "2026-06-08", times: [] });
    expect(days).toHaveLength(8);
  });

  it("finds the first free slot as availableSlots lists it, past full slots, closed and empty days", () => {
    const now = new Date("2026-06-01T12:10:00Z"); // Monday 14:10 in Paris
    const booked = new Map([[Date.parse("2026-06-01T12:30:00Z"), 2]]); // Monday 14:30 full
    const listed = (from: string, days: number) =>
      availableSlots(schedule, from, days, now, booked).flatMap((d) => d.times)[0] ?? null;
    expect(firstAvailableSlot(schedule, "2026-06-01", 30, now, booked)).toBe(
      "2026-06-15T09:00:00.000+02:00",
    ); // 8 June closed
    expect(firstAvailableSlot(schedule, "2026-06-01", 30, now, booked)).toBe(
      listed("2026-06-01", 30),
    );
    expect(firstAvailableSlot(schedule, "2026-06-02", 5, now, booked)).toBeNull();
  });

  it("refuses to book past, off-grid, closed or too distant times", () => {
    const now = new Date("2026-06-01T07:10:00Z");
    expect(isBookableTime(schedule, new Date("2026-06-01T07:30:00Z"), now)).toBe(true);
    expect(isBookableTime(schedule, new Date("2026-06-01T07:00:00Z"), now)).toBe(false);
    expect(isBookableTime(schedule, new Date("2026-06-01T07:45:00Z"), now)).toBe(false);
    expect(isBookableTime(schedule, new Date("2026-06-08T07:30:00Z"), now)).toBe(false);
    expect(isBookableTime(schedule, new Date("2026-06-15T07:30:00Z"), now)).toBe(true);
    expect(isBookableTime(schedule, new Date("2026-09-07T07:30:00Z"), now)).toBe(false);
  });
});

describe("workflow", () => {
  it("allows exactly Rustine Libre's transitions", () => {
    const table = Object.fromEntries(
      (["PENDING_REPAIRER", "VALIDATED", "REFUSED", "CANCELLED"] as const).map((from) => [
        from,
        Object.fromEntries(
          Object.keys(TRANSITIONS).map((action) => [
            action,
            nextStatus(from, action as keyof typeof TRANSITIONS),
          ]),
        ),
      ]),
    );
    expect(table).toEqual({
      PENDING_REPAIRER: {
        VALIDATE: "VALIDATED",
        REFUSE: "REFUSED",
        PROPOSE_SLOT: "VALIDATED",
        CANCEL: "CANCELLED",
        EXPIRE: "CANCELLED",
      },
      VALIDATED: {
        VALIDATE: null,
        REFUSE: null,
        PROPOSE_SLOT: "VALIDATED",
        CANCEL: "CANCELLED",
        EXPIRE: null,
      },
      REFUSED: { VALIDATE: null, REFUSE: null, PROPOSE_SLOT: null, CANCEL: null, EXPIRE: null },
      CANCELLED: { VALIDATE: null, REFUSE: null, PROPOSE_SLOT: null, CANCEL: null, EXPIRE: null },
    });
  });
});
