CREATE SCHEMA "registry";
--> statement-breakpoint
CREATE TABLE "registry"."operations" (
	"signature" text PRIMARY KEY NOT NULL,
	"name" text,
	"coordinates" jsonb NOT NULL,
	"count" integer NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "registry"."partners" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "registry"."subgraph_versions" (
	"id" serial PRIMARY KEY NOT NULL,
	"subgraph_name" text NOT NULL,
	"version" integer NOT NULL,
	"routing_url" text NOT NULL,
	"sdl" text NOT NULL,
	"published_by" text NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "subgraph_versions_number" UNIQUE("subgraph_name","version")
);
--> statement-breakpoint
CREATE TABLE "registry"."subgraphs" (
	"name" text PRIMARY KEY NOT NULL,
	"owner_partner_id" text,
	"status" text NOT NULL,
	"current_version_id" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "registry"."supergraphs" (
	"id" serial PRIMARY KEY NOT NULL,
	"supergraph_sdl" text NOT NULL,
	"api_sdl" text NOT NULL,
	"built_ins_hash" text NOT NULL,
	"members" jsonb NOT NULL,
	"action" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "registry"."subgraph_versions" ADD CONSTRAINT "subgraph_versions_subgraph_name_subgraphs_name_fk" FOREIGN KEY ("subgraph_name") REFERENCES "registry"."subgraphs"("name") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registry"."subgraphs" ADD CONSTRAINT "subgraphs_owner_partner_id_partners_id_fk" FOREIGN KEY ("owner_partner_id") REFERENCES "registry"."partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "operations_last_seen" ON "registry"."operations" USING btree ("last_seen_at");