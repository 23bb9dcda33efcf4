/** Wall-clock rules of the hub (opening hours, "not in the future") are those of Europe/Paris. */
export const HUB_TIME_ZONE = "Europe/Paris";

const dateFormat = new Intl.DateTimeFormat("en-CA", {
  timeZone: HUB_TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** The date in Europe/Paris, `YYYY-MM-DD`, at an instant (now by default). */
export function parisDate(instant: Date = new Date()): string {
  return dateFormat.format(instant);
}

/** Days from `from` to `to` (dates `YYYY-MM-DD`), both ends included. */
export function daysInclusive(from: string, to: string): number {
  return (
    Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1
  );
}
