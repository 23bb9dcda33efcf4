CREATE SCHEMA "bookings";
--> statement-breakpoint
CREATE TABLE "bookings"."appointments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"repairer_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"slot_time" timestamp with time zone NOT NULL,
	"bike_type_id" text NOT NULL,
	"prestation_id" text,
	"comment" text,
	"status" text NOT NULL,
	"cancelled_by" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"source" text NOT NULL,
	CONSTRAINT "appointments_status" CHECK ("bookings"."appointments"."status" in ('PENDING_REPAIRER', 'VALIDATED', 'REFUSED', 'CANCELLED')),
	CONSTRAINT "appointments_cancelled_by" CHECK (("bookings"."appointments"."status" = 'CANCELLED') = ("bookings"."appointments"."cancelled_by" is not null))
);
--> statement-breakpoint
CREATE TABLE "bookings"."bike_types" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"source" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bookings"."closures" (
	"id" serial PRIMARY KEY NOT NULL,
	"repairer_id" text NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date NOT NULL,
	"reason" text,
	CONSTRAINT "closures_dates" CHECK ("bookings"."closures"."start_date" <= "bookings"."closures"."end_date")
);
--> statement-breakpoint
CREATE TABLE "bookings"."customers" (
	"id" text PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bookings"."dataset_imports" (
	"dataset" text PRIMARY KEY NOT NULL,
	"version" text NOT NULL,
	"rows" integer NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bookings"."interventions" (
	"id" serial PRIMARY KEY NOT NULL,
	"repairer_id" text NOT NULL,
	"name" text NOT NULL,
	"price_cents" integer NOT NULL,
	CONSTRAINT "interventions_price" CHECK ("bookings"."interventions"."price_cents" >= 0)
);
--> statement-breakpoint
CREATE TABLE "bookings"."opening_hours" (
	"id" serial PRIMARY KEY NOT NULL,
	"repairer_id" text NOT NULL,
	"weekday" integer NOT NULL,
	"start_time" text NOT NULL,
	"end_time" text NOT NULL,
	CONSTRAINT "opening_hours_weekday" CHECK ("bookings"."opening_hours"."weekday" between 1 and 7),
	CONSTRAINT "opening_hours_times" CHECK ("bookings"."opening_hours"."start_time" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' and "bookings"."opening_hours"."end_time" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' and "bookings"."opening_hours"."start_time" < "bookings"."opening_hours"."end_time")
);
--> statement-breakpoint
CREATE TABLE "bookings"."prestations" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"source" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bookings"."repairer_bike_types" (
	"repairer_id" text NOT NULL,
	"bike_type_id" text NOT NULL,
	CONSTRAINT "repairer_bike_types_repairer_id_bike_type_id_pk" PRIMARY KEY("repairer_id","bike_type_id")
);
--> statement-breakpoint
CREATE TABLE "bookings"."repairer_cities" (
	"repairer_id" text NOT NULL,
	"territory_id" text NOT NULL,
	"territory_path" text[] NOT NULL,
	CONSTRAINT "repairer_cities_repairer_id_territory_id_pk" PRIMARY KEY("repairer_id","territory_id")
);
--> statement-breakpoint
CREATE TABLE "bookings"."repairer_repairer_types" (
	"repairer_id" text NOT NULL,
	"repairer_type_id" text NOT NULL,
	CONSTRAINT "repairer_repairer_types_repairer_id_repairer_type_id_pk" PRIMARY KEY("repairer_id","repairer_type_id")
);
--> statement-breakpoint
CREATE TABLE "bookings"."repairer_types" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"source" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bookings"."repairers" (
	"id" text PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"description" text NOT NULL,
	"street" text,
	"postcode" text,
	"city" text NOT NULL,
	"latitude" double precision,
	"longitude" double precision,
	"territory_id" text NOT NULL,
	"territory_path" text[] NOT NULL,
	"slot_duration_minutes" integer DEFAULT 60 NOT NULL,
	"parallel_slots" integer DEFAULT 1 NOT NULL,
	"enabled" boolean DEFAULT false NOT NULL,
	"source" text NOT NULL,
	"source_id" text,
	CONSTRAINT "repairers_slug_unique" UNIQUE("slug"),
	CONSTRAINT "repairers_slot_duration" CHECK ("bookings"."repairers"."slot_duration_minutes" between 10 and 480),
	CONSTRAINT "repairers_parallel_slots" CHECK ("bookings"."repairers"."parallel_slots" between 1 and 10)
);
--> statement-breakpoint
ALTER TABLE "bookings"."appointments" ADD CONSTRAINT "appointments_repairer_id_repairers_id_fk" FOREIGN KEY ("repairer_id") REFERENCES "bookings"."repairers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings"."appointments" ADD CONSTRAINT "appointments_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "bookings"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings"."appointments" ADD CONSTRAINT "appointments_bike_type_id_bike_types_id_fk" FOREIGN KEY ("bike_type_id") REFERENCES "bookings"."bike_types"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings"."appointments" ADD CONSTRAINT "appointments_prestation_id_prestations_id_fk" FOREIGN KEY ("prestation_id") REFERENCES "bookings"."prestations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings"."closures" ADD CONSTRAINT "closures_repairer_id_repairers_id_fk" FOREIGN KEY ("repairer_id") REFERENCES "bookings"."repairers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings"."interventions" ADD CONSTRAINT "interventions_repairer_id_repairers_id_fk" FOREIGN KEY ("repairer_id") REFERENCES "bookings"."repairers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings"."opening_hours" ADD CONSTRAINT "opening_hours_repairer_id_repairers_id_fk" FOREIGN KEY ("repairer_id") REFERENCES "bookings"."repairers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings"."repairer_bike_types" ADD CONSTRAINT "repairer_bike_types_repairer_id_repairers_id_fk" FOREIGN KEY ("repairer_id") REFERENCES "bookings"."repairers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings"."repairer_bike_types" ADD CONSTRAINT "repairer_bike_types_bike_type_id_bike_types_id_fk" FOREIGN KEY ("bike_type_id") REFERENCES "bookings"."bike_types"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings"."repairer_cities" ADD CONSTRAINT "repairer_cities_repairer_id_repairers_id_fk" FOREIGN KEY ("repairer_id") REFERENCES "bookings"."repairers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings"."repairer_repairer_types" ADD CONSTRAINT "repairer_repairer_types_repairer_id_repairers_id_fk" FOREIGN KEY ("repairer_id") REFERENCES "bookings"."repairers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings"."repairer_repairer_types" ADD CONSTRAINT "repairer_repairer_types_repairer_type_id_repairer_types_id_fk" FOREIGN KEY ("repairer_type_id") REFERENCES "bookings"."repairer_types"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "appointments_active_slot" ON "bookings"."appointments" USING btree ("repairer_id","slot_time") WHERE "bookings"."appointments"."status" in ('PENDING_REPAIRER', 'VALIDATED');--> statement-breakpoint
CREATE INDEX "appointments_pending" ON "bookings"."appointments" USING btree ("created_at") WHERE "bookings"."appointments"."status" = 'PENDING_REPAIRER';--> statement-breakpoint
CREATE INDEX "appointments_slot_time" ON "bookings"."appointments" USING btree ("slot_time");--> statement-breakpoint
CREATE INDEX "closures_repairer" ON "bookings"."closures" USING btree ("repairer_id","end_date");--> statement-breakpoint
CREATE INDEX "interventions_repairer" ON "bookings"."interventions" USING btree ("repairer_id");--> statement-breakpoint
CREATE INDEX "opening_hours_repairer" ON "bookings"."opening_hours" USING btree ("repairer_id","weekday");--> statement-breakpoint
CREATE INDEX "repairer_bike_types_type" ON "bookings"."repairer_bike_types" USING btree ("bike_type_id");--> statement-breakpoint
CREATE INDEX "repairer_cities_territory_path_gin" ON "bookings"."repairer_cities" USING gin ("territory_path");--> statement-breakpoint
CREATE INDEX "repairer_repairer_types_type" ON "bookings"."repairer_repairer_types" USING btree ("repairer_type_id");--> statement-breakpoint
CREATE INDEX "repairers_territory_path_gin" ON "bookings"."repairers" USING gin ("territory_path");--> statement-breakpoint
CREATE INDEX "repairers_name" ON "bookings"."repairers" USING btree ("name","id");