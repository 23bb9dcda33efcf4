/**
 * Rustine Libre's appointment workflow. Slot capacity is checked apart (under a lock); this says
 * only which action may leave which status, and who may take it.
 */
export type AppointmentStatusName = "PENDING_REPAIRER" | "VALIDATED" | "REFUSED" | "CANCELLED";
export type AppointmentAction = "VALIDATE" | "REFUSE" | "PROPOSE_SLOT" | "CANCEL" | "EXPIRE";
export type Actor = "CUSTOMER" | "REPAIRER" | "SYSTEM";

export const TRANSITIONS: Record<
  AppointmentAction,
  { from: readonly AppointmentStatusName[]; to: AppointmentStatusName; by: readonly Actor[] }
> = {
  VALIDATE: { from: ["PENDING_REPAIRER"], to: "VALIDATED", by: ["REPAIRER"] },
  REFUSE: { from: ["PENDING_REPAIRER"], to: "REFUSED", by: ["REPAIRER"] },
  // Proposing another slot accepts the appointment at the new time.
  PROPOSE_SLOT: { from: ["PENDING_REPAIRER", "VALIDATED"], to: "VALIDATED", by: ["REPAIRER"] },
  CANCEL: {
    from: ["PENDING_REPAIRER", "VALIDATED"],
    to: "CANCELLED",
    by: ["CUSTOMER", "REPAIRER"],
  },
  // Unanswered for 72 hours, or its time passed while pending.
  EXPIRE: { from: ["PENDING_REPAIRER"], to: "CANCELLED", by: ["SYSTEM"] },
};

/** Statuses that hold a place in their slot. */
export const ACTIVE_STATUSES: readonly AppointmentStatusName[] = ["PENDING_REPAIRER", "VALIDATED"];

/** How long a repairer has to answer before the appointment is cancelled. */
export const ANSWER_DELAY_MS = 72 * 3600 * 1000;

/** The status an action leads to from `from`, or null when the workflow forbids it. */
export function nextStatus(
  from: AppointmentStatusName,
  action: AppointmentAction,
): AppointmentStatusName | null {
  const transition = TRANSITIONS[action];
  return transition.from.includes(from) ? transition.to : null;
}
