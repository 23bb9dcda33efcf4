import { createHash } from "node:crypto";
import { eq, inArray } from "drizzle-orm";
import { DateTime } from "luxon";
import type { Database } from "../../lib/database.js";
import { contentVersion, loadDatasetOnce, takeIncoming } from "../../lib/seed.js";
import { territoryPath } from "../../lib/territories.js";
import { HUB_TIME_ZONE, parisDate } from "../../lib/time.js";
import { addDays, openingSlots } from "./slots.js";
import {
  appointments,
  bikeTypes,
  closures,
  customers,
  datasetImports,
  interventions,
  openingHours,
  prestations,
  repairerBikeTypes,
  repairerCities,
  repairerRepairerTypes,
  repairers,
  repairerTypes,
} from "./tables.js";

/** Rustine Libre's own reference values (its source code, AGPL-3.0). */
const RUSTINE = "rustine-libre";
/** Made-up repairers and appointments, for demonstrations only. */
const DEMO = "demonstration";

const REPAIRER_TYPES = [
  { id: "atelier-de-reparation", name: "Atelier de réparation" },
  { id: "auto-reparation", name: "Auto réparation" },
  { id: "reparateur-itinerant", name: "Réparateur itinérant" },
];
const BIKE_TYPES = [
  { id: "velo-classique", name: "Vélo classique" },
  { id: "velo-electrique", name: "Vélo électrique" },
];
const PRESTATIONS = [
  { id: "entretien-classique", name: "Entretien classique" },
  { id: "electrifier-mon-velo", name: "Électrifier mon vélo" },
  { id: "probleme-de-frein", name: "Problème de frein" },
  { id: "probleme-de-pneu", name: "Problème de pneu" },
  { id: "probleme-de-roue", name: "Problème de roue" },
  { id: "probleme-de-vitesse", name: "Problème de vitesse" },
  { id: "autre-prestation", name: "Autre prestation" },
];

/** Weekly hours, ISO weekdays; every demonstration repairer opens on weekdays so slots exist any week. */
const WEEKDAYS_9_TO_18 = [1, 2, 3, 4, 5].flatMap((weekday) => [
  { weekday, startTime: "09:00", endTime: "12:00" },
  { weekday, startTime: "14:00", endTime: "18:00" },
]);
const TUESDAY_TO_SATURDAY = [2, 3, 4, 5, 6].map((weekday) => ({
  weekday,
  startTime: "10:00",
  endTime: "18:30",
}));
const ITINERANT = [1, 2, 3, 4, 5, 6].map((weekday) => ({
  weekday,
  startTime: "08:30",
  endTime: "12:30",
}));

const BASIC_PRICES = [
  { name: "Réglage des freins", priceCents: 1000 },
  { name: "Changement de chambre à air (pièce comprise)", priceCents: 1500 },
  { name: "Révision complète", priceCents: 4500 },
];
const ELECTRIC_PRICES = [
  ...BASIC_PRICES,
  { name: "Diagnostic batterie et moteur", priceCents: 3500 },
];

const both = ["velo-classique", "velo-electrique"];
const classic = ["velo-classique"];

/** Names, places and prices are invented; coordinates are only near the commune's centre. */
const REPAIRERS = [
  {
    id: "demo-01",
    slug: "demo-la-chambre-a-air",
    name: "La Chambre à Air (démo)",
    city: "Lille",
    postcode: "59000",
    street: "1 rue de l'Exemple",
    territoryId: "COM:59350",
    lat: 50.6311,
    lon: 3.0535,
    types: ["atelier-de-reparation"],
    bikes: both,
    hours: WEEKDAYS_9_TO_18,
    parallel: 2,
    prices: ELECTRIC_PRICES,
    cities: [],
  },
  {
    id: "demo-02",
    slug: "demo-le-derailleur-fou",
    name: "Le Dérailleur Fou (démo)",
    city: "Lille",
    postcode: "59000",
    street: "2 rue de l'Exemple",
    territoryId: "COM:59350",
    lat: 50.6365,
    lon: 3.0635,
    types: ["atelier-de-reparation", "auto-reparation"],
    bikes: classic,
    hours: TUESDAY_TO_SATURDAY,
    parallel: 1,
    prices: BASIC_PRICES,
    cities: [],
  },
  {
    id: "demo-03",
    slug: "demo-le-bon-coup-de-cle",
    name: "Le Bon Coup de Clé (démo)",
    city: "Lille",
    postcode: "59000",
    street: "3 rue de l'Exemple",
    territoryId: "COM:59350",
    lat: 50.6282,
    lon: 3.0701,
    types: ["atelier-de-reparation"],
    bikes: both,
    hours: WEEKDAYS_9_TO_18,
    parallel: 3,
    prices: ELECTRIC_PRICES,
    cities: [],
  },
  {
    id: "demo-04",
    slug: "demo-rayons-de-lomme",
    name: "Rayons de Lomme (démo)",
    city: "Lomme",
    postcode: "59160",
    street: "4 rue de l'Exemple",
    territoryId: "COMA:59355",
    lat: 50.6435,
    lon: 2.987,
    types: ["atelier-de-reparation"],
    bikes: classic,
    hours: TUESDAY_TO_SATURDAY,
    parallel: 1,
    prices: BASIC_PRICES,
    cities: [],
  },
  {
    id: "demo-05",
    slug: "demo-atelier-velo-hellemmes",
    name: "L'Atelier Vélo d'Hellemmes (démo)",
    city: "Lille-Hellemmes",
    postcode: "59260",
    street: "5 rue de l'Exemple",
    territoryId: "COMA:59298",
    lat: 50.6275,
    lon: 3.11,
    types: ["auto-reparation"],
    bikes: classic,
    hours: WEEKDAYS_9_TO_18,
    parallel: 4,
    prices: BASIC_PRICES,
    cities: [],
  },
  {
    id: "demo-06",
    slug: "demo-roubaix-repare",
    name: "Roubaix Répare (démo)",
    city: "Roubaix",
    postcode: "59100",
    street: "6 rue de l'Exemple",
    territoryId: "COM:59512",
    lat: 50.69,
    lon: 3.181,
    types: ["atelier-de-reparation"],
    bikes: both,
    hours: WEEKDAYS_9_TO_18,
    parallel: 2,
    prices: ELECTRIC_PRICES,
    cities: [],
  },
  {
    id: "demo-07",
    slug: "demo-le-pedalier-de-tourcoing",
    name: "Le Pédalier de Tourcoing (démo)",
    city: "Tourcoing",
    postcode: "59200",
    street: "7 rue de l'Exemple",
    territoryId: "COM:59599",
    lat: 50.724,
    lon: 3.161,
    types: ["atelier-de-reparation"],
    bikes: classic,
    hours: TUESDAY_TO_SATURDAY,
    parallel: 1,
    prices: BASIC_PRICES,
    cities: [],
  },
  {
    id: "demo-08",
    slug: "demo-atelier-du-campus",
    name: "Atelier du Campus (démo)",
    city: "Villeneuve-d'Ascq",
    postcode: "59650",
    street: "8 rue de l'Exemple",
    territoryId: "COM:59009",
    lat: 50.609,
    lon: Math.PI,
    types: ["auto-reparation"],
    bikes: classic,
    hours: WEEKDAYS_9_TO_18,
    parallel: 5,
    prices: BASIC_PRICES,
    cities: [],
  },
  {
    id: "demo-09",
    slug: "demo-cycles-itinerants-metropole",
    name: "Cycles Itinérants de la Métropole (démo)",
    city: "Lille",
    postcode: "59000",
    street: null,
    territoryId: "COM:59350",
    lat: null,
    lon: null,
    types: ["reparateur-itinerant"],
    bikes: both,
    hours: ITINERANT,
    parallel: 1,
    prices: ELECTRIC_PRICES,
    cities: ["COM:59350", "COM:59368", "COM:59360", "COM:59009"],
  },
  {
    id: "demo-10",
    slug: "demo-garage-a-velos-libercourt",
    name: "Le Garage à Vélos de Libercourt (démo)",
    city: "Libercourt",
    postcode: "62820",
    street: "10 rue de l'Exemple",
    territoryId: "COM:62907",
    lat: 50.483,
    lon: 3.016,
    types: ["atelier-de-reparation"],
    bikes: both,
    hours: TUESDAY_TO_SATURDAY,
    parallel: 2,
    prices: ELECTRIC_PRICES,
    cities: [],
  },
  {
    id: "demo-11",
    slug: "demo-itinerant-bassin-minier",
    name: "Le Réparateur Itinérant du Bassin Minier (démo)",
    city: "Libercourt",
    postcode: "62820",
    street: null,
    territoryId: "COM:62907",
    lat: null,
    lon: null,
    types: ["reparateur-itinerant"],
    bikes: classic,
    hours: ITINERANT,
    parallel: 1,
    prices: BASIC_PRICES,
    cities: ["COM:62907", "COM:62215", "COM:62637"],
  },
  // Awaiting an admin's validation: never listed.
  {
    id: "demo-12",
    slug: "demo-atelier-en-attente",
    name: "Atelier en Attente de Validation (démo)",
    city: "Lille",
    postcode: "59000",
    street: "12 rue de l'Exemple",
    territoryId: "COM:59350",
    lat: 50.633,
    lon: 3.045,
    types: ["atelier-de-reparation"],
    bikes: classic,
    hours: WEEKDAYS_9_TO_18,
    parallel: 1,
    prices: BASIC_PRICES,
    cities: [],
    enabled: false,
  },
];

const CUSTOMER_COUNT = 40;

/** A deterministic generator (mulberry32), so that one seed date always gives the same appointments. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A UUID-shaped id derived from a name: the same appointment keeps the same id. */
function uuidOf(name: string): string {
  const hex = createHash("sha256").update(name).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const pick = <T>(next: () => number, items: readonly T[]): T =>
  items[Math.floor(next() * items.length)]!;

/**
 * Appointments over the 12 months before `anchor` (a Paris date) in every final status, and a few
 * pending or validated ones in the next two weeks, leaving most future slots free.
 */
export function demonstrationAppointments(anchor: string) {
  const next = random(20_240_601);
  const anchorStart = DateTime.fromISO(anchor, { zone: HUB_TIME_ZONE });
  const rows: (typeof appointments.$inferInsert)[] = [];
  const enabled = REPAIRERS.filter((r) => r.enabled !== false);
  for (let offset = -365; offset <= 14; offset++) {
    if (offset === 0) continue;
    const date = addDays(anchor, offset);
    for (const repairer of enabled) {
      if (next() > (offset < 0 ? 0.15 : 0.1)) continue;
      const slots = openingSlots({ slotDurationMinutes: 60, openingHours: repairer.hours }, date);
      if (slots.length === 0) continue;
      const slotTime = pick(next, slots);
      const past = offset < 0;
      const roll = next();
      const status = past
        ? roll < 0.7
          ? "VALIDATED"
          : roll < 0.82
            ? "REFUSED"
            : "CANCELLED"
        : roll < 0.5
          ? "PENDING_REPAIRER"
          : "VALIDATED";
      const cancelledBy =
        status === "CANCELLED" ? pick(next, ["CUSTOMER", "REPAIRER", "EXPIRY"]) : null;
      // Future pending ones were booked the day before the seed: the expiry job leaves them 72 h.
      const createdAt = past
        ? new Date(slotTime.getTime() - Math.ceil(next() * 10) * 86_400_000)
        : anchorStart.minus({ hours: 12 }).toJSDate();
      rows.push({
        id: uuidOf(`${repairer.id}|${slotTime.toISOString()}`),
        repairerId: repairer.id,
        customerId: `demo-client-${String(1 + Math.floor(next() * CUSTOMER_COUNT)).padStart(3, "0")}`,
        slotTime,
        bikeTypeId: pick(next, repairer.bikes),
        prestationId: next() < 0.15 ? null : pick(next, PRESTATIONS).id,
        comment: null,
        status,
        cancelledBy,
        createdAt,
        updatedAt: createdAt,
        source: DEMO,
      });
    }
  }
  return rows;
}

/**
 * Reference lists, the demonstration repairers and their appointments. The appointments are placed
 * around the day the seed first runs and stored once: the version covers the data, not the date.
 */
export async function seed(
  db: Database,
  progress: (line: string) => void = () => {},
): Promise<void> {
  const data = { REPAIRER_TYPES, BIKE_TYPES, PRESTATIONS, REPAIRERS, CUSTOMER_COUNT, generator: 1 };
  await loadDatasetOnce(db, datasetImports, "seed:bookings", contentVersion(data), async (tx) => {
    progress("bookings: Rustine Libre reference lists and demonstration repairers");
    for (const [table, rows] of [
      [repairerTypes, REPAIRER_TYPES],
      [bikeTypes, BIKE_TYPES],
      [prestations, PRESTATIONS],
    ] as const) {
      await tx
        .insert(table)
        .values(rows.map((r) => ({ ...r, source: RUSTINE })))
        .onConflictDoUpdate({ target: table.id, set: takeIncoming(table) });
    }

    const ids = REPAIRERS.map((r) => r.id);
    // Their lists are replaced whole: a new version of the seed may drop a row.
    await tx.delete(appointments).where(eq(appointments.source, DEMO));
    for (const table of [
      repairerRepairerTypes,
      repairerBikeTypes,
      repairerCities,
      openingHours,
      closures,
      interventions,
    ]) {
      await tx.delete(table).where(inArray(table.repairerId, ids));
    }
    await tx
      .insert(repairers)
      .values(
        REPAIRERS.map((r) => ({
          id: r.id,
          slug: r.slug,
          name: r.name,
          description: `Données de démonstration : réparateur fictif (${r.types.map((t) => REPAIRER_TYPES.find((x) => x.id === t)!.name.toLowerCase()).join(", ")}).`,
          street: r.street,
          postcode: r.postcode,
          city: r.city,
          latitude: r.lat,
          longitude: r.lon,
          territoryId: r.territoryId,
          territoryPath: territoryPath(r.territoryId),
          slotDurationMinutes: 60,
          parallelSlots: r.parallel,
          enabled: r.enabled ?? true,
          source: DEMO,
          sourceId: null,
        })),
      )
      .onConflictDoUpdate({ target: repairers.id, set: takeIncoming(repairers) });
    await tx
      .insert(repairerRepairerTypes)
      .values(
        REPAIRERS.flatMap((r) =>
          r.types.map((repairerTypeId) => ({ repairerId: r.id, repairerTypeId })),
        ),
      );
    await tx
      .insert(repairerBikeTypes)
      .values(
        REPAIRERS.flatMap((r) => r.bikes.map((bikeTypeId) => ({ repairerId: r.id, bikeTypeId }))),
      );
    await tx.insert(repairerCities).values(
      REPAIRERS.flatMap((r) =>
        r.cities.map((territoryId) => ({
          repairerId: r.id,
          territoryId,
          territoryPath: territoryPath(territoryId),
        })),
      ),
    );
    await tx
      .insert(openingHours)
      .values(REPAIRERS.flatMap((r) => r.hours.map((h) => ({ repairerId: r.id, ...h }))));
    await tx
      .insert(interventions)
      .values(REPAIRERS.flatMap((r) => r.prices.map((p) => ({ repairerId: r.id, ...p }))));

    const anchor = parisDate(new Date());
    // Summer holidays past, and a week off four weeks ahead: repairers near Lille stay open in the coming days.
    await tx.insert(closures).values([
      {
        repairerId: "demo-06",
        startDate: addDays(anchor, 28),
        endDate: addDays(anchor, 34),
        reason: "Congés (démonstration)",
      },
      {
        repairerId: "demo-10",
        startDate: addDays(anchor, -120),
        endDate: addDays(anchor, -106),
        reason: "Congés (démonstration)",
      },
    ]);

    await tx
      .insert(customers)
      .values(
        Array.from({ length: CUSTOMER_COUNT }, (_, i) => ({
          id: `demo-client-${String(i + 1).padStart(3, "0")}`,
        })),
      )
      .onConflictDoNothing();
    const rows = demonstrationAppointments(anchor);
    for (let i = 0; i < rows.length; i += 500)
      await tx.insert(appointments).values(rows.slice(i, i + 500));
    return REPAIRERS.length + rows.length;
  });
}
