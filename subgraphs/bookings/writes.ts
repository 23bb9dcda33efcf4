import { randomUUID } from "node:crypto";
import { and, count, eq, lte, ne, or } from "drizzle-orm";
import type { Database, Transaction } from "../../lib/database.js";
import { notFound, userError } from "../../lib/graphql/errors.js";
import { log } from "../../lib/log.js";
import { isActive, isListed } from "./loaders.js";
import { isBookableTime, type Schedule } from "./slots.js";
import { appointments, closures, customers, openingHours, repairers } from "./tables.js";
import type { AppointmentRow, RepairerRow } from "./types.js";
import {
  type Actor,
  ANSWER_DELAY_MS,
  type AppointmentAction,
  type AppointmentStatusName,
  nextStatus,
  TRANSITIONS,
} from "./workflow.js";

/**
 * Locks the repairer's row for the rest of the transaction. Every change that can fill a slot
 * (booking, proposing another slot) takes this lock first, so counting the slot's appointments and
 * inserting one happen with no other booking of that repairer in between: never overbooked, on a
 * pool of PostgreSQL connections as on PGlite.
 */
async function lockRepairer(tx: Transaction, repairerId: string): Promise<RepairerRow | undefined> {
  const [repairer] = await tx
    .select()
    .from(repairers)
    .where(and(eq(repairers.id, repairerId), isListed))
    .for("update");
  return repairer;
}

async function scheduleOf(tx: Transaction, repairer: RepairerRow): Promise<Schedule> {
  const [hours, closed] = await Promise.all([
    tx.select().from(openingHours).where(eq(openingHours.repairerId, repairer.id)),
    tx.select().from(closures).where(eq(closures.repairerId, repairer.id)),
  ]);
  return {
    slotDurationMinutes: repairer.slotDurationMinutes,
    parallelSlots: repairer.parallelSlots,
    openingHours: hours,
    closures: closed,
  };
}

/** Refuses a slot that is not offered (closed, past, off the grid) or already full; the repairer row must be locked. */
async function checkSlot(
  tx: Transaction,
  repairer: RepairerRow,
  slotTime: Date,
  now: Date,
  exceptAppointmentId?: string,
): Promise<void> {
  if (!isBookableTime(await scheduleOf(tx, repairer), slotTime, now)) {
    throw userError(
      "SLOT_UNAVAILABLE",
      "Ce créneau n'est pas proposé par le réparateur (fermé, passé ou hors de ses horaires).",
      { slotTime: slotTime.toISOString() },
    );
  }
  const [taken] = await tx
    .select({ n: count() })
    .from(appointments)
    .where(
      and(
        eq(appointments.repairerId, repairer.id),
        eq(appointments.slotTime, slotTime),
        isActive,
        exceptAppointmentId ? ne(appointments.id, exceptAppointmentId) : undefined,
      ),
    );
  if (Number(taken!.n) >= repairer.parallelSlots) {
    throw userError("SLOT_FULL", "Ce créneau est complet.", { slotTime: slotTime.toISOString() });
  }
}

export interface BookingRequest {
  repairerId: string;
  customerId: string;
  slotTime: Date;
  bikeTypeId: string;
  prestationId: string | null;
  comment: string | null;
  /** Replaces the customer's contact when given. */
  contact: { name: string | null; phone: string | null } | null;
}

/** Books a slot: one transaction, under the repairer's lock. */
export async function bookAppointment(
  db: Database,
  request: BookingRequest,
  now: Date,
): Promise<AppointmentRow> {
  return db.transaction(async (tx) => {
    const repairer = await lockRepairer(tx, request.repairerId);
    if (!repairer) throw notFound(`Réparateur inconnu : « ${request.repairerId} ».`);
    await checkSlot(tx, repairer, request.slotTime, now);
    const { contact, ...appointment } = request;
    const customer = tx.insert(customers).values({ id: request.customerId, ...contact });
    await (contact
      ? customer.onConflictDoUpdate({ target: customers.id, set: contact })
      : customer.onConflictDoNothing());
    const [created] = await tx
      .insert(appointments)
      .values({
        id: randomUUID(),
        ...appointment,
        status: "PENDING_REPAIRER",
        createdAt: now,
        updatedAt: now,
        source: "hub",
      })
      .returning();
    return created!;
  });
}

export interface TransitionRequest {
  appointmentId: string;
  action: Exclude<AppointmentAction, "EXPIRE">;
  actor: Exclude<Actor, "SYSTEM">;
  actorId: string;
  /** PROPOSE_SLOT only. */
  slotTime?: Date;
}

/**
 * Applies one step of the workflow, or fails without changing anything: FORBIDDEN when the actor
 * is not the appointment's customer or repairer, ILLEGAL_TRANSITION when its status does not allow it.
 */
export async function transitionAppointment(
  db: Database,
  request: TransitionRequest,
  now: Date,
): Promise<AppointmentRow> {
  const [known] = await db
    .select({ repairerId: appointments.repairerId })
    .from(appointments)
    .where(eq(appointments.id, request.appointmentId));
  if (!known) throw notFound(`Rendez-vous inconnu : « ${request.appointmentId} ».`);
  return db.transaction(async (tx) => {
    // The same lock order as bookings (repairer, then appointment): no deadlock between them.
    const [repairer] = await tx
      .select()
      .from(repairers)
      .where(eq(repairers.id, known.repairerId))
      .for("update");
    const [appointment] = await tx
      .select()
      .from(appointments)
      .where(eq(appointments.id, request.appointmentId))
      .for("update");
    const owner = request.actor === "CUSTOMER" ? appointment!.customerId : appointment!.repairerId;
    if (!TRANSITIONS[request.action].by.includes(request.actor) || owner !== request.actorId) {
      throw userError(
        "FORBIDDEN",
        "Seuls le client ou le réparateur du rendez-vous peuvent le modifier, chacun pour ses propres actions.",
      );
    }
    const from = appointment!.status as AppointmentStatusName;
    const to = nextStatus(from, request.action);
    if (!to) {
      throw userError(
        "ILLEGAL_TRANSITION",
        `Un rendez-vous ${from} ne peut pas recevoir l'action ${request.action}.`,
        { from, action: request.action },
      );
    }
    let slotTime = appointment!.slotTime;
    if (request.action === "PROPOSE_SLOT") {
      slotTime = request.slotTime!;
      await checkSlot(tx, repairer!, slotTime, now, appointment!.id);
    }
    const [updated] = await tx
      .update(appointments)
      .set({
        status: to,
        slotTime,
        cancelledBy: to === "CANCELLED" ? request.actor : null,
        updatedAt: now,
      })
      .where(eq(appointments.id, appointment!.id))
      .returning();
    return updated!;
  });
}

/**
 * The periodic job: cancels pending appointments unanswered for 72 hours, or whose time has come.
 * Returns how many it cancelled.
 */
export async function expireAppointments(db: Database, now: Date): Promise<number> {
  const expired = await db
    .update(appointments)
    .set({ status: TRANSITIONS.EXPIRE.to, cancelledBy: "EXPIRY", updatedAt: now })
    .where(
      and(
        eq(appointments.status, "PENDING_REPAIRER"),
        or(
          lte(appointments.createdAt, new Date(now.getTime() - ANSWER_DELAY_MS)),
          lte(appointments.slotTime, now),
        ),
      ),
    )
    .returning({ id: appointments.id });
  return expired.length;
}

/** Runs `expireAppointments` now and then every `intervalMs`; returns what stops it (after a run under way). */
export function startExpiryJob(
  db: Database,
  { intervalMs = 5 * 60_000, now = () => new Date() } = {},
): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const run = () => {
    running = expireAppointments(db, now()).catch((error: unknown) =>
      log.error("bookings: appointment expiry failed", error),
    );
  };
  run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
