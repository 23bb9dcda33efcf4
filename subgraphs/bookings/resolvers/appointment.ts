import "reflect-metadata";
import { and, asc, count, desc, eq } from "drizzle-orm";
import {
  Arg,
  Args,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Mutation,
  Query,
  Resolver,
  Root,
} from "type-graphql";
import { actingId, actsFor } from "../../../lib/authorization.js";
import type { Database } from "../../../lib/database.js";
import { pageOf, parsePage } from "../../../lib/graphql/connection.js";
import { badUserInput, notFound } from "../../../lib/graphql/errors.js";
import {
  BookAppointmentInput,
  checkActorId,
  checkAppointmentId,
  checkComment,
  checkContact,
  MyAppointmentsArgs,
  parseSlotTime,
} from "../inputs/appointment.js";
import type { Context } from "../loaders.js";
import { slotIso } from "../slots.js";
import { appointments } from "../tables.js";
import {
  Appointment,
  AppointmentConnection,
  type AppointmentRow,
  BikeType,
  CustomerContact,
  Prestation,
  Repairer,
} from "../types.js";
import { bookAppointment, type TransitionRequest, transitionAppointment } from "../writes.js";

function transition(db: Database, request: TransitionRequest): Promise<AppointmentRow> {
  checkAppointmentId(request.appointmentId);
  checkActorId(request.actorId);
  return transitionAppointment(db, request, new Date());
}

@Resolver(() => Appointment)
export class AppointmentResolver {
  @FieldResolver(() => String)
  slotTime(@Root() appointment: AppointmentRow): string {
    return slotIso(appointment.slotTime);
  }

  @FieldResolver(() => Repairer, {
    nullable: true,
    description: "Null once the repairer is disabled.",
  })
  repairer(@Root() appointment: AppointmentRow, @Ctx() { loaders }: Context) {
    return loaders.repairer.load(appointment.repairerId);
  }

  @FieldResolver(() => BikeType)
  bikeType(@Root() appointment: AppointmentRow, @Ctx() { loaders }: Context) {
    return loaders.bikeType.load(appointment.bikeTypeId);
  }

  @FieldResolver(() => Prestation, { nullable: true })
  prestation(@Root() appointment: AppointmentRow, @Ctx() { loaders }: Context) {
    return appointment.prestationId ? loaders.prestation.load(appointment.prestationId) : null;
  }

  @FieldResolver(() => CustomerContact, {
    nullable: true,
    description:
      "The customer's contact, for the customer itself, the appointment's repairer (who must reach them) and admins; null for anyone else.",
  })
  async customer(
    @Root() appointment: AppointmentRow,
    @Ctx() { loaders, identity }: Context,
  ): Promise<CustomerContact | null> {
    const party =
      actsFor(identity, "customer", appointment.customerId) ||
      actsFor(identity, "repairer", appointment.repairerId);
    if (!party) return null;
    const customer = await loaders.customer.load(appointment.customerId);
    return customer && { name: customer.name, phone: customer.phone };
  }

  @Authorized("customer", "repairer")
  @Query(() => AppointmentConnection, {
    description:
      "The caller's appointments, latest slot first: a customer's own, or those made with the repairer a key acts for (every one for an admin).",
  })
  myAppointments(
    @Args(() => MyAppointmentsArgs) args: MyAppointmentsArgs,
    @Ctx() { db, identity, loaders }: Context,
  ) {
    const page = parsePage(args);
    const mine =
      identity.role === "admin"
        ? undefined
        : identity.actsFor?.kind === "repairer"
          ? eq(appointments.repairerId, identity.actsFor.id)
          : eq(appointments.customerId, actingId(identity, "customer"));
    const where = and(mine, args.status ? eq(appointments.status, args.status) : undefined);
    return pageOf(
      loaders.select,
      page,
      db
        .select()
        .from(appointments)
        .where(where)
        .orderBy(desc(appointments.slotTime), asc(appointments.id)),
      db.select({ total: count() }).from(appointments).where(where),
    );
  }

  @Mutation(() => Appointment, {
    description:
      "Books a free slot (status PENDING_REPAIRER). SLOT_FULL when the slot holds as many appointments as the repairer has parallel slots; SLOT_UNAVAILABLE when it is closed, past or off its hours.",
  })
  @Authorized("customer")
  async bookAppointment(
    @Arg("input", () => BookAppointmentInput) input: BookAppointmentInput,
    @Ctx() { db, loaders, identity }: Context,
  ): Promise<AppointmentRow> {
    const customerId = checkActorId(actingId(identity, "customer"));
    const comment = checkComment(input.comment);
    if (!(await loaders.repairer.load(input.repairerId)))
      throw notFound(`Réparateur inconnu : « ${input.repairerId} ».`);
    const bikeTypes = await loaders.bikeTypesOf.load(input.repairerId);
    if (!bikeTypes.some((b) => b.id === input.bikeTypeId)) {
      throw badUserInput(`Ce réparateur ne prend pas ce type de vélo : « ${input.bikeTypeId} ».`, {
        argument: "input.bikeTypeId",
      });
    }
    if (input.prestationId && !(await loaders.prestation.load(input.prestationId))) {
      throw badUserInput(`Prestation inconnue : « ${input.prestationId} ».`, {
        argument: "input.prestationId",
      });
    }
    return bookAppointment(
      db,
      {
        repairerId: input.repairerId,
        customerId,
        slotTime: parseSlotTime(input.slotTime, "input.slotTime"),
        bikeTypeId: input.bikeTypeId,
        prestationId: input.prestationId ?? null,
        comment,
        contact: input.contact ? checkContact(input.contact) : null,
      },
      new Date(),
    );
  }

  @Authorized("repairer")
  @Mutation(() => Appointment, {
    description: "The repairer accepts a pending appointment of its own.",
  })
  validateAppointment(
    @Arg("appointmentId", () => ID) appointmentId: string,
    @Ctx() { db, identity }: Context,
  ) {
    return transition(db, {
      appointmentId,
      action: "VALIDATE",
      actor: "REPAIRER",
      actorId: actingId(identity, "repairer"),
    });
  }

  @Authorized("repairer")
  @Mutation(() => Appointment, {
    description: "The repairer refuses a pending appointment of its own.",
  })
  refuseAppointment(
    @Arg("appointmentId", () => ID) appointmentId: string,
    @Ctx() { db, identity }: Context,
  ) {
    return transition(db, {
      appointmentId,
      action: "REFUSE",
      actor: "REPAIRER",
      actorId: actingId(identity, "repairer"),
    });
  }

  @Authorized("repairer")
  @Mutation(() => Appointment, {
    description:
      "The repairer moves a pending or validated appointment of its own to another free slot; it is then validated.",
  })
  proposeAppointmentSlot(
    @Arg("appointmentId", () => ID) appointmentId: string,
    @Arg("slotTime", () => String, {
      description: "ISO 8601 with offset, one of the repairer's `availableSlots` times.",
    })
    slotTime: string,
    @Ctx() { db, identity }: Context,
  ) {
    return transition(db, {
      appointmentId,
      action: "PROPOSE_SLOT",
      actor: "REPAIRER",
      actorId: actingId(identity, "repairer"),
      slotTime: parseSlotTime(slotTime, "slotTime"),
    });
  }

  @Authorized("customer", "repairer")
  @Mutation(() => Appointment, {
    description:
      "The appointment's customer, or its repairer, cancels it while pending or validated.",
  })
  cancelAppointment(
    @Arg("appointmentId", () => ID) appointmentId: string,
    @Ctx() { db, identity }: Context,
  ) {
    return identity.actsFor?.kind === "repairer"
      ? transition(db, {
          appointmentId,
          action: "CANCEL",
          actor: "REPAIRER",
          actorId: identity.actsFor.id,
        })
      : transition(db, {
          appointmentId,
          action: "CANCEL",
          actor: "CUSTOMER",
          actorId: actingId(identity, "customer"),
        });
  }
}
