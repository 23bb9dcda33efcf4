ALTER TABLE "bookings"."bike_types" ADD COLUMN "source_id" text;--> statement-breakpoint
ALTER TABLE "bookings"."repairer_types" ADD COLUMN "source_id" text;--> statement-breakpoint
ALTER TABLE "bookings"."repairers" ADD COLUMN "source_hash" text;--> statement-breakpoint
ALTER TABLE "bookings"."repairers" ADD COLUMN "withdrawn_at" timestamp with time zone;