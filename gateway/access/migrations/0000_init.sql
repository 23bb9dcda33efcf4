CREATE SCHEMA "access";
--> statement-breakpoint
CREATE TABLE "access"."api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"secret_hash" text NOT NULL,
	"role" text NOT NULL,
	"acts_for_kind" text,
	"acts_for_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "api_keys_acts_for" ON "access"."api_keys" USING btree ("acts_for_kind","acts_for_id");