import { badUserInput } from "../../../lib/graphql/errors.js";
import { daysInclusive, parisDate } from "../../../lib/time.js";

const MAX_PERIOD_DAYS = 366;

/** Days `YYYY-MM-DD`, both ends included: an availability asked for, or a loan's dates. */
export interface Period {
  start: string;
  end: string;
}

/** A period from a client: in order, a year at most, and for a loan not begun in the past. */
export function checkPeriod(from: string, to: string, { future = false } = {}): void {
  if (from > to)
    throw badUserInput("La date de début doit précéder la date de fin.", { argument: "startDate" });
  if (daysInclusive(from, to) > MAX_PERIOD_DAYS)
    throw badUserInput(`Une période dure au plus ${MAX_PERIOD_DAYS} jours.`);
  if (future && from < parisDate())
    throw badUserInput("Un prêt ne commence pas dans le passé.", { argument: "startDate" });
}

export const overlaps = (period: Period, from: string, to: string) =>
  period.start <= to && period.end >= from;
