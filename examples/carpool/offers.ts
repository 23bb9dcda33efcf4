/**
 * The example cooperative's offers. A real partner reads its own database; these are invented
 * for the example (`source: "placeholder"`), and carry no personal data: a driver is not named.
 */
export interface OfferRow {
  id: string;
  /** Where it leaves from: a hub `Territory` id (`KIND:CODE`). */
  territoryId: string;
  from: string;
  to: string;
  /** ISO 8601 with the Europe/Paris offset. */
  departsAt: string;
  seats: number;
  /** Suggested contribution, in cents. */
  priceCents: number;
  source: string;
}

export const OFFERS: readonly OfferRow[] = [
  {
    id: "covoit-1",
    territoryId: "COM:59350",
    from: "Lille, gare Lille-Flandres",
    to: "Arras",
    departsAt: "2026-12-01T07:45:00+01:00",
    seats: 3,
    priceCents: 450,
    source: "placeholder",
  },
  {
    id: "covoit-2",
    territoryId: "COM:59350",
    from: "Lille, porte des Postes",
    to: "Lens",
    departsAt: "2026-12-01T08:10:00+01:00",
    seats: 2,
    priceCents: 350,
    source: "placeholder",
  },
  {
    id: "covoit-3",
    territoryId: "COMA:59355",
    from: "Lomme, mairie",
    to: "Armentières",
    departsAt: "2026-12-02T17:30:00+01:00",
    seats: 1,
    priceCents: 200,
    source: "placeholder",
  },
  {
    id: "covoit-4",
    territoryId: "COM:62907",
    from: "Libercourt, gare",
    to: "Douai",
    departsAt: "2026-12-03T06:50:00+01:00",
    seats: 4,
    priceCents: 300,
    source: "placeholder",
  },
];
