import { badUserInput } from "../../../lib/graphql/errors.js";
import { parisDate } from "../../../lib/time.js";

/** A measurement from an agent: a positive value, dated today or earlier. */
export function checkMeasurement(value: number, measuredOn: string): void {
  if (!Number.isFinite(value) || value < 0)
    throw badUserInput("La valeur doit être un nombre positif ou nul.", { argument: "value" });
  if (measuredOn > parisDate())
    throw badUserInput("Une mesure ne peut pas être datée dans le futur.", {
      argument: "measuredOn",
    });
}
