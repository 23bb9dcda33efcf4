ALTER TABLE "bookings"."customers" ADD COLUMN "name" text;--> statement-breakpoint
ALTER TABLE "bookings"."customers" ADD COLUMN "phone" text;--> statement-breakpoint
CREATE INDEX "appointments_customer" ON "bookings"."appointments" USING btree ("customer_id","slot_time");--> statement-breakpoint
CREATE INDEX "appointments_repairer" ON "bookings"."appointments" USING btree ("repairer_id","slot_time");