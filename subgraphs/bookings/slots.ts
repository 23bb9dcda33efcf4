import { DateTime } from "luxon";
import { parisDate, HUB_TIME_ZONE as ZONE } from "../../lib/time.js";

/**
 * Rustine Libre's availability: slots are not stored, they are computed from the weekly opening
 * hours every slot duration, minus exceptional closures, past times and full slots. Every rule is
 * a Europe/Paris wall-clock rule, so the computation goes through luxon's time zone data.
 */
/** How far ahead slots are offered, as in Rustine Libre. */
export const MAX_DAYS = 60;

export interface WeeklyHours {
  /** ISO weekday: 1 = Monday ... 7 = Sunday. */
  weekday: number;
  startTime: string;
  endTime: string;
}

export interface Closure {
  startDate: string;
  endDate: string;
}

export interface Schedule {
  slotDurationMinutes: number;
  parallelSlots: number;
  openingHours: readonly WeeklyHours[];
  closures: readonly Closure[];
}

export interface DaySlots {
  date: string;
  times: string[];
}

const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** `YYYY-MM-DD` plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: ZONE }).plus({ days }).toISODate()!;
}

/** The instant a slot starts, ISO 8601 with its Paris offset (`2026-03-30T09:00:00.000+02:00`). */
export function slotIso(instant: Date): string {
  return DateTime.fromJSDate(instant, { zone: ZONE }).toISO()!;
}

/**
 * The slots opening hours give on one Paris date, ignoring closures and bookings. Slots step on
 * the wall clock (09:00, 10:00...), so a day when clocks change keeps its usual times; a time that
 * does not exist that day (02:30 on the last Sunday of March) is skipped.
 */
export function openingSlots(
  schedule: Pick<Schedule, "slotDurationMinutes" | "openingHours">,
  date: string,
): Date[] {
  const day = DateTime.fromISO(date, { zone: ZONE });
  const slots: Date[] = [];
  const hours = schedule.openingHours
    .filter((h) => h.weekday === day.weekday)
    .sort((a, b) => minutesOf(a.startTime) - minutesOf(b.startTime));
  for (const { startTime, endTime } of hours) {
    const end = minutesOf(endTime);
    for (
      let start = minutesOf(startTime);
      start + schedule.slotDurationMinutes <= end;
      start += schedule.slotDurationMinutes
    ) {
      const hour = Math.floor(start / 60);
      const minute = start % 60;
      const slot = day.set({ hour, minute });
      if (slot.hour !== hour || slot.minute !== minute) continue;
      slots.push(slot.toJSDate());
    }
  }
  return slots;
}

const isClosed = (closures: readonly Closure[], date: string) =>
  closures.some((c) => c.startDate <= date && date <= c.endDate);

/**
 * Free slots from `from` (a Paris date) for `days` days, one entry per day. `booked` counts the
 * active appointments at each slot instant (epoch milliseconds); a slot holding `parallelSlots`
 * of them is full.
 */
export function availableSlots(
  schedule: Schedule,
  from: string,
  days: number,
  now: Date,
  booked: ReadonlyMap<number, number>,
): DaySlots[] {
  const result: DaySlots[] = [];
  for (let i = 0; i < days; i++) {
    const date = addDays(from, i);
    result.push({ date, times: freeSlots(schedule, date, now, booked).map(slotIso) });
  }
  return result;
}

/**
 * The first time `availableSlots` would list, or null: it stops at the first day with a free
 * slot instead of computing them all (territory pages show it for every repairer listed).
 */
export function firstAvailableSlot(
  schedule: Schedule,
  from: string,
  days: number,
  now: Date,
  booked: ReadonlyMap<number, number>,
): string | null {
  for (let i = 0; i < days; i++) {
    const [first] = freeSlots(schedule, addDays(from, i), now, booked);
    if (first) return slotIso(first);
  }
  return null;
}

/** One day's opening slots that are future and not full. */
function freeSlots(
  schedule: Schedule,
  date: string,
  now: Date,
  booked: ReadonlyMap<number, number>,
): Date[] {
  if (isClosed(schedule.closures, date)) return [];
  return openingSlots(schedule, date).filter(
    (slot) =>
      slot.getTime() > now.getTime() && (booked.get(slot.getTime()) ?? 0) < schedule.parallelSlots,
  );
}

/** Whether a customer may book this instant at all (before counting bookings): an opening slot, open, future, within the horizon. */
export function isBookableTime(schedule: Schedule, slot: Date, now: Date): boolean {
  if (slot.getTime() <= now.getTime()) return false;
  const date = parisDate(slot);
  if (date > addDays(parisDate(now), MAX_DAYS) || isClosed(schedule.closures, date)) return false;
  return openingSlots(schedule, date).some((s) => s.getTime() === slot.getTime());
}

/** The instant a Paris day `YYYY-MM-DD` starts. */
export const startOfParisDay = (date: string) => DateTime.fromISO(date, { zone: ZONE }).toJSDate();

/** The instants whose bookings decide the free slots from `from` (a Paris date) for `days` days. */
export const bookingWindow = (from: string, days: number) => ({
  from: startOfParisDay(from),
  to: startOfParisDay(addDays(from, days)),
});

/** The days `nextAvailableSlot` looks through: a repairers page reads their bookings for exactly these. */
export const NEXT_SLOT_DAYS = MAX_DAYS + 1;
