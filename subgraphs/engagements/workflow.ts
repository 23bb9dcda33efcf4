import { EngagementStatus } from "./types.js";

const { EXPLORING, PLANNED, LIVE, ABANDONED } = EngagementStatus;

/**
 * Which status an engagement may move to. An engagement goes forward (exploring → planned →
 * live), may step back from planned to exploring, may be abandoned from any status, and an
 * abandoned one is reopened by going back to exploring, never straight to live.
 */
export const ENGAGEMENT_TRANSITIONS: Record<EngagementStatus, readonly EngagementStatus[]> = {
  [EXPLORING]: [PLANNED, LIVE, ABANDONED],
  [PLANNED]: [EXPLORING, LIVE, ABANDONED],
  [LIVE]: [ABANDONED],
  [ABANDONED]: [EXPLORING],
};

export function canMove(from: EngagementStatus, to: EngagementStatus): boolean {
  return ENGAGEMENT_TRANSITIONS[from].includes(to);
}
