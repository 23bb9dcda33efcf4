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

/** What was read about one repairer: the collection's summary and its detail resources. */
export interface RepairerSource {
  summary: JsonRecord;
  detail: JsonRecord;
  openingHours: unknown[];
  closures: unknown[];
  interventions: unknown[];
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
 * Maps one repairer to the hub's row and lists. Throws `MalformedRecord` when the record cannot be
 * imported (a missing name, a wrong type, a commune that cannot be told); parts that can be left
 * out (an unknown bike type, a served city that matches no commune) are left out with a warning.
 */
export function mapRepairer(
  source: RepairerSource,
  refs: ReferenceIds,
  warn: (reason: string) => void,
): Incoming<RepairerChildren> {
  const record = { ...source.summary, ...source.detail };
  const sourceId = referenceId(record.id ?? record["@id"]);
  if (!sourceId) throw new MalformedRecord("id is missing");
  const name = requiredString(record, "name");
  const city = requiredString(record, "city");
  const postcode = optionalString(record, "postcode");
  const commune = resolveCommune(city, postcode);
  if (!commune.id) throw new MalformedRecord(`commune not resolved: ${commune.reason}`);

  const references = (key: string, known: Map<string, string>) =>
    optionalArray(record, key).flatMap((item) => {
      const id = referenceId(item);
      const hubId = id ? known.get(id) : undefined;
      if (!hubId) warn(`${key}: unknown ${JSON.stringify(item)}`);
      return hubId ? [hubId] : [];
    });

  const cityIds = optionalArray(record, "repairerCities").flatMap((item) => {
    const served = asRecord(item, "repairerCities item");
    const match = resolveCommune(
      optionalString(served, "name"),
      optionalString(served, "postcode"),
    );
    if (!match.id) warn(`served city left out: ${match.reason}`);
    return match.id ? [match.id] : [];
  });

  const hours = source.openingHours.flatMap((item) => {
    const slot = asRecord(item, "opening hours");
    const weekday = WEEKDAYS.indexOf(String(slot.day).toLowerCase()) + 1;
    const startTime = timeOfDay(slot.startTime);
    const endTime = timeOfDay(slot.endTime);
    if (weekday === 0 || !startTime || !endTime || startTime >= endTime) {
      warn(
        `opening hours left out: ${JSON.stringify({ day: slot.day, startTime: slot.startTime, endTime: slot.endTime })}`,
      );
      return [];
    }
    return [{ weekday, startTime, endTime }];
  });

  const closures = source.closures.flatMap((item) => {
    const closure = asRecord(item, "exceptional closure");
    const startDate = datePart(closure.startDate);
    const endDate = datePart(closure.endDate);
    if (!startDate || !endDate || startDate > endDate) {
      warn(
        `exceptional closure left out: ${JSON.stringify({ startDate: closure.startDate, endDate: closure.endDate })}`,
      );
      return [];
    }
    return [{ startDate, endDate }];
  });

  // An intervention carries the prices every repairer gives it: this repairer's is the one to keep.
  const interventions = source.interventions.flatMap((item) => {
    const intervention = asRecord(item, "intervention");
    const label = optionalString(intervention, "description");
    const price = optionalArray(intervention, "repairerInterventions")
      .map((entry) => asRecord(entry, "repairerIntervention"))
      .find((entry) => referenceId(entry.repairer) === sourceId);
    const priceCents = price ? optionalInteger(price, "price", [0, 10_000_000]) : null;
    if (!label || priceCents === null) {
      warn(
        `intervention left out: ${JSON.stringify(intervention.id ?? intervention["@id"])} has no description or no price for this repairer`,
      );
      return [];
    }
    return [{ name: label, priceCents }];
  });

  const streetNumber = optionalString(record, "streetNumber");
  const street = optionalString(record, "street");
  return {
    sourceId,
    row: {
      id: repairerId(sourceId),
      slug: optionalString(record, "slug") ?? repairerId(sourceId),
      name,
      description: optionalString(record, "description") ?? "",
      street: [streetNumber, street].filter(Boolean).join(" ") || null,
      postcode,
      city,
      latitude: optionalDecimal(record, "latitude", [-90, 90]),
      longitude: optionalDecimal(record, "longitude", [-180, 180]),
      territoryId: commune.id,
      territoryPath: territoryPath(commune.id),
      slotDurationMinutes: optionalInteger(record, "durationSlot", [10, 480]) ?? 60,
      parallelSlots: optionalInteger(record, "numberOfSlots", [1, 10]) ?? 1,
      enabled: optionalBoolean(record, "enabled") ?? false,
      source: SOURCE,
      sourceId,
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
