import { describe, expect, it } from "vitest";
import { durationMinutes, loanDays, pseudonym, upperEnum } from "./map.js";

describe("EBS values", () => {
  it("reads loan durations in days when the text says so", () => {
    expect(loanDays("3")).toBe(3);
    expect(loanDays("2 jours")).toBe(2);
    expect(loanDays("1 semaine")).toBe(7);
    expect(loanDays("le temps qu'il faut")).toBeNull();
    expect(loanDays(null)).toBeNull();
  });

  it("reads service durations in minutes", () => {
    expect(durationMinutes("45 min")).toBe(45);
    expect(durationMinutes("1h30")).toBe(90);
    expect(durationMinutes("2 heures")).toBe(120);
    expect(durationMinutes("une après-midi")).toBeNull();
  });

  it("keeps only the statuses EBS has", () => {
    expect(upperEnum("to_confirm", ["NEW", "TO_CONFIRM"], "status")).toBe("TO_CONFIRM");
    expect(() => upperEnum("lost", ["NEW", "TO_CONFIRM"], "status")).toThrow(
      'status "lost" is not one of new, to_confirm',
    );
  });

  it("gives a person the same pseudonym every time, another one per instance or key", () => {
    const id = "1ed5c8a4-0000-6000-8000-000000000001";
    expect(pseudonym("k", "lomme", id)).toBe(pseudonym("k", "lomme", id));
    expect(pseudonym("k", "lomme", id)).not.toBe(pseudonym("k", "apes", id));
    expect(pseudonym("k", "lomme", id)).not.toBe(pseudonym("other", "lomme", id));
    expect(pseudonym("k", "lomme", id)).toMatch(/^[0-9a-f]{20}$/);
  });
});
