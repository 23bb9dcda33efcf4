import { createHmac } from "node:crypto";
import { MalformedRecord } from "../fields.js";

/**
 * EBS's values to the hub's. EBS keeps a product's preferred loan duration and a service's
 * duration as free text ("2 jours", "1h30"): read when they say a number of days or minutes,
 * left empty otherwise.
 */

export function upperEnum<T extends string>(
  value: unknown,
  allowed: readonly T[],
  what: string,
): T {
  const upper = typeof value === "string" ? value.toUpperCase() : "";
  if (!(allowed as readonly string[]).includes(upper))
    throw new MalformedRecord(
      `${what} "${String(value)}" is not one of ${allowed.join(", ").toLowerCase()}`,
    );
  return upper as T;
}

const DAY_UNITS: Record<string, number> = {
  j: 1,
  jour: 1,
  jours: 1,
  day: 1,
  days: 1,
  semaine: 7,
  semaines: 7,
  week: 7,
  weeks: 7,
  mois: 30,
  month: 30,
};

/** "3", "2 jours", "1 semaine" → days; null for anything else. */
export function loanDays(text: string | null): number | null {
  const match = text
    ? /^\s*(\d+)\s*([a-z]*)\s*$/i.exec(text.normalize("NFD").replace(/[\u0300-\u036f]/g, ""))
    : null;
  if (!match) return null;
  const unit = match[2]!.toLowerCase();
  const days = unit === "" ? 1 : DAY_UNITS[unit];
  return days ? Number(match[1]) * days : null;
}

/** "90", "45 min", "1h", "1h30", "2 heures" → minutes; null for anything else. */
export function durationMinutes(text: string | null): number | null {
  const value = text?.trim().toLowerCase() ?? "";
  const minutes = /^(\d+)\s*(min|mn|minutes?)?$/.exec(value);
  if (minutes) return Number(minutes[1]);
  const hours = /^(\d+)\s*(h|heures?|hours?)\s*(\d{1,2})?(\s*min)?$/.exec(value);
  return hours ? Number(hours[1]) * 60 + Number(hours[3] ?? 0) : null;
}

/**
 * A person's stable pseudonym: a keyed hash of their id at the source. Without the key nobody can
 * tell which EBS account it is, and the same person gets the same pseudonym on every run.
 */
export function pseudonym(secret: string, instance: string, sourceId: string): string {
  return createHmac("sha256", secret)
    .update(`${instance}\u0000${sourceId}`)
    .digest("hex")
    .slice(0, 20);
}
