CREATE TABLE "registry"."app_deployments" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"version" text NOT NULL,
	"owner_partner_id" text,
	"published_by" text NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone,
	CONSTRAINT "app_deployments_version" UNIQUE("name","version")
);
--> statement-breakpoint
CREATE TABLE "registry"."app_operations" (
	"deployment_id" integer NOT NULL,
	"hash" text NOT NULL,
	"name" text,
	"body" text NOT NULL,
	"coordinates" jsonb NOT NULL,
	CONSTRAINT "app_operations_pk" PRIMARY KEY("deployment_id","hash")
);
--> statement-breakpoint
CREATE TABLE "registry"."operation_usage" (
	"signature" text NOT NULL,
	"day" date NOT NULL,
	"client_name" text DEFAULT '' NOT NULL,
	"client_version" text DEFAULT '' NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "operation_usage_pk" PRIMARY KEY("signature","day","client_name","client_version")
);
--> statement-breakpoint
ALTER TABLE "registry"."app_deployments" ADD CONSTRAINT "app_deployments_owner_partner_id_partners_id_fk" FOREIGN KEY ("owner_partner_id") REFERENCES "registry"."partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registry"."app_operations" ADD CONSTRAINT "app_operations_deployment_id_app_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "registry"."app_deployments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registry"."operation_usage" ADD CONSTRAINT "operation_usage_signature_operations_signature_fk" FOREIGN KEY ("signature") REFERENCES "registry"."operations"("signature") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "app_operations_hash" ON "registry"."app_operations" USING btree ("hash");--> statement-breakpoint
CREATE INDEX "operation_usage_day" ON "registry"."operation_usage" USING btree ("day");