import { describe, expect, it } from "vitest";
import { EngagementStatus } from "./types.js";
import { canMove, ENGAGEMENT_TRANSITIONS } from "./workflow.js";

describe("engagement workflow", () => {
  it("never moves an engagement to the status it already has", () => {
    for (const status of Object.values(EngagementStatus))
      expect(canMove(status, status)).toBe(false);
  });

  it("reopens an abandoned engagement only by exploring it again", () => {
    expect(ENGAGEMENT_TRANSITIONS.ABANDONED).toEqual(["EXPLORING"]);
    expect(canMove(EngagementStatus.ABANDONED, EngagementStatus.LIVE)).toBe(false);
  });

  it("lets any engagement be abandoned", () => {
    for (const status of [
      EngagementStatus.EXPLORING,
      EngagementStatus.PLANNED,
      EngagementStatus.LIVE,
    ]) {
      expect(canMove(status, EngagementStatus.ABANDONED)).toBe(true);
    }
  });
});
