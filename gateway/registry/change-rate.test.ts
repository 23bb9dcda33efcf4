import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PartnerChangeRate } from "./change-rate.js";

/** What a change of this partner is answered: `ok`, or the refusal's extensions. */
const ask = (rate: PartnerChangeRate, partnerId: string) =>
  rate.consume(partnerId).then(
    () => "ok",
    (error: { extensions: Record<string, unknown> }) => error.extensions,
  );

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("a partner's rate of changes", () => {
  it("lets a burst through at once, then one change per step of the steady rate", async () => {
    const rate = new PartnerChangeRate({ publicationsPerMinute: 20, publicationBurst: 3 });
    for (let change = 0; change < 3; change++) expect(await ask(rate, "covoit-coop")).toBe("ok");
    expect(await ask(rate, "covoit-coop")).toEqual({ code: "RATE_LIMITED", retryAfterSeconds: 3 });
    // Another partner has its own.
    expect(await ask(rate, "livraison-coop")).toBe("ok");
    // Each step of the steady rate (3 s) gives one change back, not the burst.
    vi.advanceTimersByTime(3000);
    expect(await ask(rate, "covoit-coop")).toBe("ok");
    expect(await ask(rate, "covoit-coop")).toMatchObject({ code: "RATE_LIMITED" });
    vi.advanceTimersByTime(3000);
    expect(await ask(rate, "covoit-coop")).toBe("ok");
    // A minute after its first change, the burst is back.
    vi.advanceTimersByTime(60_000);
    for (let change = 0; change < 3; change++) expect(await ask(rate, "covoit-coop")).toBe("ok");
    expect(await ask(rate, "covoit-coop")).toMatchObject({ code: "RATE_LIMITED" });
  });

  it("with a burst of one, spaces every change", async () => {
    const rate = new PartnerChangeRate({ publicationsPerMinute: 60, publicationBurst: 1 });
    expect(await ask(rate, "covoit-coop")).toBe("ok");
    expect(await ask(rate, "covoit-coop")).toEqual({ code: "RATE_LIMITED", retryAfterSeconds: 1 });
    vi.advanceTimersByTime(1000);
    expect(await ask(rate, "covoit-coop")).toBe("ok");
  });
});
