import { resolveCommune } from "../../lib/communes.js";
import { territoryPath } from "../../lib/territories.js";
import {
  asRecord,
  type JsonRecord,
  MalformedRecord,
  optionalArray,
  optionalBoolean,
  optionalDecimal,
  optionalInteger,
  optionalString,
  referenceId,
  requiredString,
} from "../fields.js";
import type { Incoming } from "../sync.js";

export const SOURCE = "rustine-libre";

/** The hub's id of a repairer from Rustine Libre: prefixed, so it never meets a seeded one. */
export const repairerId = (sourceId: string) => `${SOURCE}-${sourceId}`;

const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

export interface RepairerChildren {
  repairerTypeIds: string[];
  bikeTypeIds: string[];
  cityIds: string[];
  hours: { weekday: number; startTime: string; endTime: string }[];
  closures: { startDate: string; endDate: string }[];
  interventions: { name: string; priceCents: number }[];
}

/** A repairer's own fields, read from the collection alone: all it takes to import it. */
export interface RepairerSummary {
  sourceId: string;
  /** The boss's user id: Rustine Libre's `/interventions` are filtered by it. */
  owner: string | null;
  /** The hub's row but what the detail gives (description, slots). */
  row: Incoming["row"];
}

/** Prices as a route gave them: `/repairer_interventions` (one per member) or `/interventions` (each carries every repairer's). */
export interface Prices {
  route: "/repairer_interventions" | "/interventions";
  members: unknown[];
}

/** The parts a source may not serve: null (or empty) leaves them empty. */
export interface RepairerParts {
  openingHours: unknown[] | null;
  closures: unknown[] | null;
  prices: Prices | null;
}

/** Rustine Libre's ids of repairer and bike types, to the hub's. */
export interface ReferenceIds {
  repairerTypes: Map<string, string>;
  bikeTypes: Map<string, string>;
}

/** "9:00" or "09:00" to "09:00"; null when it is not a time of day. */
function timeOfDay(value: unknown): string | null {
  const match =
    typeof value === "string" ? /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(value.trim()) : null;
  return match ? `${match[1]!.padStart(2, "0")}:${match[2]}` : null;
}

/** The date part of an ISO date-time as the API writes it (in the platform's own time zone). */
function datePart(value: unknown): string | null {
  return typeof value === "string" && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : null;
}

const sorted = <T>(items: T[]) =>
  items.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

/**
 * Reads a repairer's own fields from the collection's summary, before anything else is asked
 * about it: `null` for a repairer that is not enabled (skipped, whatever else it says), and
 * `MalformedRecord` for one that cannot be imported (no name, a wrong type, a commune that
 * cannot be told).
 */
export function readSummary(summary: JsonRecord): RepairerSummary | null {
  const sourceId = referenceId(summary.id ?? summary["@id"]);
  if (!sourceId) throw new MalformedRecord("id is missing");
  if (optionalBoolean(summary, "enabled") !== true) return null;
  const name = requiredString(summary, "name");
  const city = requiredString(summary, "city");
  const postcode = optionalString(summary, "postcode");
  const commune = resolveCommune(city, postcode);
  if (!commune.id) throw new MalformedRecord(`commune not resolved: ${commune.reason}`);
  const streetNumber = optionalString(summary, "streetNumber");
  const street = optionalString(summary, "street");
  return {
    sourceId,
    owner: referenceId(summary.owner),
    row: {
      id: repairerId(sourceId),
      slug: optionalString(summary, "slug") ?? repairerId(sourceId),
      name,
      street: [streetNumber, street].filter(Boolean).join(" ") || null,
      postcode,
      city,
      latitude: optionalDecimal(summary, "latitude", [-90, 90]),
      longitude: optionalDecimal(summary, "longitude", [-180, 180]),
      territoryId: commune.id,
      territoryPath: territoryPath(commune.id),
      enabled: true,
      source: SOURCE,
      sourceId,
    },
  };
}

/**
 * The items of an optional list that can be read; each other one (`read` throws
 * `MalformedRecord`) is left out with a warning: a price that is not a number leaves that price
 * out, not the repairer.
 */
function readable<T>(
  items: unknown[] | null,
  what: string,
  warn: (reason: string) => void,
  read: (item: JsonRecord) => T,
): T[] {
  return (items ?? []).flatMap((item) => {
    try {
      return [read(asRecord(item, what))];
    } catch (error) {
      if (!(error instanceof MalformedRecord)) throw error;
      warn(`${what} left out: ${error.message}`);
      return [];
    }
  });
}

const leftOut = (reason: string): never => {
  throw new MalformedRecord(reason);
};

/**
 * Maps a repairer to the hub's row and lists, from its summary, its detail (description, bike
 * types, slots, served cities) and the parts the source serves. Whatever of those cannot be read
 * (an unknown bike type, a served city that matches no commune, a price that is not a number) is
 * left out with a warning: the repairer is imported from its summary.
 */
export function mapRepairer(
  summary: RepairerSummary,
  detail: JsonRecord,
  parts: RepairerParts,
  refs: ReferenceIds,
  warn: (reason: string) => void,
): Incoming<RepairerChildren> {
  const { sourceId } = summary;
  const references = (key: string, known: Map<string, string>) =>
    optionalArray(detail, key).flatMap((item) => {
      const id = referenceId(item);
      const hubId = id ? known.get(id) : undefined;
      if (!hubId) warn(`${key}: unknown ${JSON.stringify(item)}`);
      return hubId ? [hubId] : [];
    });

  const cityIds = readable(
    optionalArray(detail, "repairerCities"),
    "served city",
    warn,
    (served) => {
      const match = resolveCommune(
        optionalString(served, "name"),
        optionalString(served, "postcode"),
      );
      return match.id ?? leftOut(match.reason);
    },
  );

  const hours = readable(parts.openingHours, "opening hours", warn, (slot) => {
    const weekday = WEEKDAYS.indexOf(String(slot.day).toLowerCase()) + 1;
    const startTime = timeOfDay(slot.startTime);
    const endTime = timeOfDay(slot.endTime);
    return weekday === 0 || !startTime || !endTime || startTime >= endTime
      ? leftOut(JSON.stringify({ day: slot.day, startTime: slot.startTime, endTime: slot.endTime }))
      : { weekday, startTime, endTime };
  });

  const closures = readable(parts.closures, "exceptional closure", warn, (closure) => {
    const startDate = datePart(closure.startDate);
    const endDate = datePart(closure.endDate);
    return !startDate || !endDate || startDate > endDate
      ? leftOut(JSON.stringify({ startDate: closure.startDate, endDate: closure.endDate }))
      : { startDate, endDate };
  });

  const interventions = readable(parts.prices?.members ?? null, "intervention", warn, (item) => {
    // A RepairerIntervention is this repairer's price of an intervention; an Intervention carries
    // the prices every repairer gives it, this repairer's among them.
    const [intervention, price] =
      parts.prices?.route === "/repairer_interventions"
        ? [typeof item.intervention === "object" ? asRecord(item.intervention) : {}, item]
        : [
            item,
            optionalArray(item, "repairerInterventions")
              .map((entry) => asRecord(entry, "repairerIntervention"))
              .find((entry) => referenceId(entry.repairer) === sourceId),
          ];
    const name = optionalString(intervention, "description");
    const priceCents = price ? optionalInteger(price, "price", [0, 10_000_000]) : null;
    return name && priceCents !== null
      ? { name, priceCents }
      : leftOut(
          `${JSON.stringify(item.id ?? item["@id"])} has no description or no price for this repairer`,
        );
  });

  return {
    sourceId,
    row: {
      ...summary.row,
      description: optionalString(detail, "description") ?? "",
      slotDurationMinutes: optionalInteger(detail, "durationSlot", [10, 480]) ?? 60,
      parallelSlots: optionalInteger(detail, "numberOfSlots", [1, 10]) ?? 1,
    },
    children: {
      repairerTypeIds: sorted([...new Set(references("repairerTypes", refs.repairerTypes))]),
      bikeTypeIds: sorted([...new Set(references("bikeTypesSupported", refs.bikeTypes))]),
      cityIds: sorted([...new Set(cityIds)]),
      hours: sorted(hours),
      closures: sorted(closures),
      interventions: sorted(interventions),
    },
  };
}
