CREATE SCHEMA "directory";
--> statement-breakpoint
CREATE TABLE "directory"."dataset_imports" (
	"dataset" text PRIMARY KEY NOT NULL,
	"version" text NOT NULL,
	"rows" integer NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "directory"."organizations" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"siren" text,
	"legal_form" text,
	"source" text NOT NULL,
	"source_id" text
);
--> statement-breakpoint
CREATE TABLE "directory"."platform_territories" (
	"platform_slug" text NOT NULL,
	"territory_id" text NOT NULL,
	CONSTRAINT "platform_territories_platform_slug_territory_id_pk" PRIMARY KEY("platform_slug","territory_id")
);
--> statement-breakpoint
CREATE TABLE "directory"."platform_themes" (
	"platform_slug" text NOT NULL,
	"theme_slug" text NOT NULL,
	CONSTRAINT "platform_themes_platform_slug_theme_slug_pk" PRIMARY KEY("platform_slug","theme_slug")
);
--> statement-breakpoint
CREATE TABLE "directory"."platforms" (
	"slug" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"search_name" text NOT NULL,
	"url" text,
	"description" text NOT NULL,
	"software_slug" text,
	"operator_id" text,
	"source" text NOT NULL,
	"source_id" text
);
--> statement-breakpoint
CREATE TABLE "directory"."software" (
	"slug" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"licence" text,
	"repository_url" text,
	"source" text NOT NULL,
	"source_id" text
);
--> statement-breakpoint
CREATE TABLE "directory"."territories" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"search_name" text NOT NULL,
	"siren" text,
	"population" integer,
	"postal_codes" text[] DEFAULT '{}' NOT NULL,
	"parent_id" text,
	"epci_id" text,
	"departement_id" text,
	"region_id" text,
	"path" text[] NOT NULL,
	"source" text NOT NULL,
	"source_id" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "directory"."territory_search_terms" (
	"term" text NOT NULL,
	"territory_id" text NOT NULL,
	CONSTRAINT "territory_search_terms_territory_id_term_pk" PRIMARY KEY("territory_id","term")
);
--> statement-breakpoint
CREATE TABLE "directory"."themes" (
	"slug" text PRIMARY KEY NOT NULL,
	"label" text NOT NULL,
	"source" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "directory"."platform_territories" ADD CONSTRAINT "platform_territories_platform_slug_platforms_slug_fk" FOREIGN KEY ("platform_slug") REFERENCES "directory"."platforms"("slug") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory"."platform_territories" ADD CONSTRAINT "platform_territories_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "directory"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory"."platform_themes" ADD CONSTRAINT "platform_themes_platform_slug_platforms_slug_fk" FOREIGN KEY ("platform_slug") REFERENCES "directory"."platforms"("slug") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory"."platform_themes" ADD CONSTRAINT "platform_themes_theme_slug_themes_slug_fk" FOREIGN KEY ("theme_slug") REFERENCES "directory"."themes"("slug") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory"."platforms" ADD CONSTRAINT "platforms_software_slug_software_slug_fk" FOREIGN KEY ("software_slug") REFERENCES "directory"."software"("slug") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory"."platforms" ADD CONSTRAINT "platforms_operator_id_organizations_id_fk" FOREIGN KEY ("operator_id") REFERENCES "directory"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory"."territory_search_terms" ADD CONSTRAINT "territory_search_terms_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "directory"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "platform_territories_territory" ON "directory"."platform_territories" USING btree ("territory_id");--> statement-breakpoint
CREATE INDEX "platform_themes_theme" ON "directory"."platform_themes" USING btree ("theme_slug");--> statement-breakpoint
CREATE INDEX "territories_path_gin" ON "directory"."territories" USING gin ("path");--> statement-breakpoint
CREATE INDEX "territories_postal_codes_gin" ON "directory"."territories" USING gin ("postal_codes");--> statement-breakpoint
CREATE INDEX "territories_kind_name" ON "directory"."territories" USING btree ("kind","name");--> statement-breakpoint
CREATE INDEX "territory_search_terms_prefix" ON "directory"."territory_search_terms" USING btree ("term" text_pattern_ops);