CREATE SCHEMA "exchanges";
--> statement-breakpoint
CREATE TABLE "exchanges"."categories" (
	"id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"name" text NOT NULL,
	"parent_id" text,
	"position" integer NOT NULL,
	"source" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "exchanges"."dataset_imports" (
	"dataset" text PRIMARY KEY NOT NULL,
	"version" text NOT NULL,
	"rows" integer NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "exchanges"."instances" (
	"slug" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"base_url" text,
	"territory_id" text NOT NULL,
	"platform_slug" text,
	"services_enabled" boolean NOT NULL,
	"source" text NOT NULL,
	"source_id" text,
	CONSTRAINT "instances_platform_slug_unique" UNIQUE("platform_slug")
);
--> statement-breakpoint
CREATE TABLE "exchanges"."loan_events" (
	"id" serial PRIMARY KEY NOT NULL,
	"loan_id" text NOT NULL,
	"actor_id" text NOT NULL,
	"action" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "exchanges"."loans" (
	"id" text PRIMARY KEY NOT NULL,
	"product_id" text NOT NULL,
	"lender_id" text NOT NULL,
	"borrower_id" text NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"source" text NOT NULL,
	"source_id" text
);
--> statement-breakpoint
CREATE TABLE "exchanges"."members" (
	"id" text PRIMARY KEY NOT NULL,
	"instance_slug" text NOT NULL,
	"kind" text NOT NULL,
	"display_name" text NOT NULL,
	"street" text,
	"postal_code" text,
	"locality" text,
	"schedule" jsonb,
	"territory_id" text NOT NULL,
	"territory_path" text[] NOT NULL,
	"source" text NOT NULL,
	"source_id" text
);
--> statement-breakpoint
CREATE TABLE "exchanges"."products" (
	"id" text PRIMARY KEY NOT NULL,
	"instance_slug" text NOT NULL,
	"owner_id" text NOT NULL,
	"type" text NOT NULL,
	"category_id" text NOT NULL,
	"status" text NOT NULL,
	"visibility" text NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"description" text NOT NULL,
	"age" text,
	"deposit_cents" integer,
	"currency" text,
	"preferred_loan_days" integer,
	"duration_minutes" integer,
	"territory_path" text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"source" text NOT NULL,
	"source_id" text,
	CONSTRAINT "products_slug_per_instance" UNIQUE("instance_slug","slug")
);
--> statement-breakpoint
CREATE TABLE "exchanges"."unavailabilities" (
	"id" serial PRIMARY KEY NOT NULL,
	"product_id" text NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date NOT NULL
);
--> statement-breakpoint
ALTER TABLE "exchanges"."loan_events" ADD CONSTRAINT "loan_events_loan_id_loans_id_fk" FOREIGN KEY ("loan_id") REFERENCES "exchanges"."loans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exchanges"."loans" ADD CONSTRAINT "loans_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "exchanges"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exchanges"."loans" ADD CONSTRAINT "loans_lender_id_members_id_fk" FOREIGN KEY ("lender_id") REFERENCES "exchanges"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exchanges"."loans" ADD CONSTRAINT "loans_borrower_id_members_id_fk" FOREIGN KEY ("borrower_id") REFERENCES "exchanges"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exchanges"."members" ADD CONSTRAINT "members_instance_slug_instances_slug_fk" FOREIGN KEY ("instance_slug") REFERENCES "exchanges"."instances"("slug") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exchanges"."products" ADD CONSTRAINT "products_instance_slug_instances_slug_fk" FOREIGN KEY ("instance_slug") REFERENCES "exchanges"."instances"("slug") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exchanges"."products" ADD CONSTRAINT "products_owner_id_members_id_fk" FOREIGN KEY ("owner_id") REFERENCES "exchanges"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exchanges"."products" ADD CONSTRAINT "products_category_id_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "exchanges"."categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exchanges"."unavailabilities" ADD CONSTRAINT "unavailabilities_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "exchanges"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "categories_type" ON "exchanges"."categories" USING btree ("type","position");--> statement-breakpoint
CREATE INDEX "loan_events_loan" ON "exchanges"."loan_events" USING btree ("loan_id");--> statement-breakpoint
CREATE INDEX "loans_product" ON "exchanges"."loans" USING btree ("product_id","start_date");--> statement-breakpoint
CREATE INDEX "loans_start" ON "exchanges"."loans" USING btree ("start_date");--> statement-breakpoint
CREATE INDEX "loans_status" ON "exchanges"."loans" USING btree ("status");--> statement-breakpoint
CREATE INDEX "members_territory_path" ON "exchanges"."members" USING gin ("territory_path");--> statement-breakpoint
CREATE INDEX "members_kind" ON "exchanges"."members" USING btree ("kind");--> statement-breakpoint
CREATE INDEX "products_territory_path" ON "exchanges"."products" USING gin ("territory_path");--> statement-breakpoint
CREATE INDEX "products_listing" ON "exchanges"."products" USING btree ("status","visibility","type","category_id");--> statement-breakpoint
CREATE INDEX "products_owner" ON "exchanges"."products" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "unavailabilities_product" ON "exchanges"."unavailabilities" USING btree ("product_id","start_date");