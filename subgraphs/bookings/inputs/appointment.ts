import "reflect-metadata";
import { ArgsType, Field, ID, InputType } from "type-graphql";
import { PageArgs } from "../../../lib/graphql/connection.js";
import { badUserInput } from "../../../lib/graphql/errors.js";
import { AppointmentStatus } from "../types.js";

const ACTOR_ID = /^[A-Za-z0-9_-]{1,64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const MAX_COMMENT = 1000;
const MAX_NAME = 100;
/** Digits, spaces, dots, dashes and an optional leading +: a French or international number. */
const PHONE = /^\+?[\d .-]{6,20}$/;

@InputType({ description: "A customer's contact (personal data)." })
export class CustomerContactInput {
  @Field(() => String, {
    nullable: true,
    description: `A name the repairer may call the customer by (${MAX_NAME} characters at most).`,
  })
  name?: string | null;

  @Field(() => String, { nullable: true, description: "A phone number." })
  phone?: string | null;
}

@InputType({ description: "A booking request (prise de rendez-vous)." })
export class BookAppointmentInput {
  @Field(() => ID)
  repairerId!: string;

  @Field(() => String, {
    description: "One of the repairer's `availableSlots` times (ISO 8601 with offset).",
  })
  slotTime!: string;

  @Field(() => ID)
  bikeTypeId!: string;

  @Field(() => ID, { nullable: true, description: "Self-diagnosis (`probleme-de-frein`...)." })
  prestationId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "For the repairer only; never shown in the public schema.",
  })
  comment?: string | null;

  @Field(() => CustomerContactInput, {
    nullable: true,
    description:
      "How the repairer may reach the customer; kept for the customer's later bookings too. Shown only to the customer, its repairers and admins.",
  })
  contact?: CustomerContactInput | null;
}

@ArgsType()
export class MyAppointmentsArgs extends PageArgs {
  @Field(() => AppointmentStatus, { nullable: true })
  status?: AppointmentStatus | null;
}

/** Ids come from verified identities; their shape is still checked before they reach SQL. */
export function checkActorId(id: string): string {
  if (!ACTOR_ID.test(id))
    throw badUserInput(`Identifiant invalide : « ${id} » (lettres, chiffres, - et _, 64 au plus).`);
  return id;
}

export function checkAppointmentId(id: string): string {
  if (!UUID.test(id))
    throw badUserInput(`Identifiant de rendez-vous invalide : « ${id} ».`, {
      argument: "appointmentId",
    });
  return id;
}

export function checkComment(comment: string | null | undefined): string | null {
  if (comment && comment.length > MAX_COMMENT)
    throw badUserInput(`Le commentaire fait au plus ${MAX_COMMENT} caractères.`, {
      argument: "input.comment",
    });
  return comment ?? null;
}

export function checkContact(contact: CustomerContactInput): {
  name: string | null;
  phone: string | null;
} {
  const name = contact.name?.trim() || null;
  const phone = contact.phone?.trim() || null;
  if (name && name.length > MAX_NAME)
    throw badUserInput(`Le nom fait au plus ${MAX_NAME} caractères.`, {
      argument: "input.contact.name",
    });
  if (phone && !PHONE.test(phone))
    throw badUserInput(`Numéro de téléphone invalide : « ${phone} ».`, {
      argument: "input.contact.phone",
    });
  return { name, phone };
}

/**
 * Slot times are strings parsed here rather than a DateTime scalar: a malformed scalar variable
 * fails at the subgraph before any resolver, and the gateway then reports SUBGRAPH_UNAVAILABLE.
 */
export function parseSlotTime(value: string, argument: string): Date {
  const time = Date.parse(value);
  if (!ISO_INSTANT.test(value) || Number.isNaN(time)) {
    throw badUserInput(
      `Horaire invalide : « ${value} » (attendu ISO 8601 avec décalage, par ex. 2026-03-30T09:00:00+02:00).`,
      { argument },
    );
  }
  return new Date(time);
}
