CREATE SCHEMA "engagements";
--> statement-breakpoint
CREATE TABLE "engagements"."call_selections" (
	"call_id" text NOT NULL,
	"collectivite_id" text NOT NULL,
	CONSTRAINT "call_selections_call_id_collectivite_id_pk" PRIMARY KEY("call_id","collectivite_id")
);
--> statement-breakpoint
CREATE TABLE "engagements"."calls_for_interest" (
	"id" text PRIMARY KEY NOT NULL,
	"year" integer NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"source" text NOT NULL,
	"source_url" text
);
--> statement-breakpoint
CREATE TABLE "engagements"."challenge_organizers" (
	"challenge_id" text NOT NULL,
	"organization_id" text NOT NULL,
	CONSTRAINT "challenge_organizers_challenge_id_organization_id_pk" PRIMARY KEY("challenge_id","organization_id")
);
--> statement-breakpoint
CREATE TABLE "engagements"."challenges" (
	"id" text PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"source" text NOT NULL,
	"source_url" text
);
--> statement-breakpoint
CREATE TABLE "engagements"."collectivites" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"siren" text,
	"territory_id" text NOT NULL,
	"source" text NOT NULL,
	"source_url" text
);
--> statement-breakpoint
CREATE TABLE "engagements"."dataset_imports" (
	"dataset" text PRIMARY KEY NOT NULL,
	"version" text NOT NULL,
	"rows" integer NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "engagements"."engagement_changes" (
	"id" serial PRIMARY KEY NOT NULL,
	"engagement_id" text NOT NULL,
	"agent_id" text NOT NULL,
	"field" text NOT NULL,
	"from_value" text,
	"to_value" text,
	"comment" text,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "engagements"."engagement_platforms" (
	"engagement_id" text NOT NULL,
	"platform_slug" text NOT NULL,
	CONSTRAINT "engagement_platforms_engagement_id_platform_slug_pk" PRIMARY KEY("engagement_id","platform_slug")
);
--> statement-breakpoint
CREATE TABLE "engagements"."engagements" (
	"id" text PRIMARY KEY NOT NULL,
	"collectivite_id" text NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"theme" text,
	"status" text NOT NULL,
	"started_on" date,
	"source" text NOT NULL,
	"source_url" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "engagements"."indicators" (
	"id" text PRIMARY KEY NOT NULL,
	"challenge_id" text NOT NULL,
	"label" text NOT NULL,
	"unit" text NOT NULL,
	"baseline" double precision,
	"target" double precision,
	"source" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "engagements"."manifesto_signatories" (
	"manifesto_id" text NOT NULL,
	"collectivite_id" text NOT NULL,
	CONSTRAINT "manifesto_signatories_manifesto_id_collectivite_id_pk" PRIMARY KEY("manifesto_id","collectivite_id")
);
--> statement-breakpoint
CREATE TABLE "engagements"."manifestos" (
	"id" text PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"signed_on" date,
	"source" text NOT NULL,
	"source_url" text
);
--> statement-breakpoint
CREATE TABLE "engagements"."measurements" (
	"id" serial PRIMARY KEY NOT NULL,
	"indicator_id" text NOT NULL,
	"measured_on" date NOT NULL,
	"value" double precision NOT NULL,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "measurements_one_per_date" UNIQUE("indicator_id","measured_on")
);
--> statement-breakpoint
CREATE TABLE "engagements"."parcours" (
	"id" text PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"edition" integer NOT NULL,
	"format" text NOT NULL,
	"started_in" text,
	"source" text NOT NULL,
	"source_url" text
);
--> statement-breakpoint
CREATE TABLE "engagements"."parcours_facilitators" (
	"parcours_id" text NOT NULL,
	"organization_id" text NOT NULL,
	CONSTRAINT "parcours_facilitators_parcours_id_organization_id_pk" PRIMARY KEY("parcours_id","organization_id")
);
--> statement-breakpoint
CREATE TABLE "engagements"."parcours_participants" (
	"parcours_id" text NOT NULL,
	"collectivite_id" text NOT NULL,
	CONSTRAINT "parcours_participants_parcours_id_collectivite_id_pk" PRIMARY KEY("parcours_id","collectivite_id")
);
--> statement-breakpoint
ALTER TABLE "engagements"."call_selections" ADD CONSTRAINT "call_selections_call_id_calls_for_interest_id_fk" FOREIGN KEY ("call_id") REFERENCES "engagements"."calls_for_interest"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "engagements"."call_selections" ADD CONSTRAINT "call_selections_collectivite_id_collectivites_id_fk" FOREIGN KEY ("collectivite_id") REFERENCES "engagements"."collectivites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "engagements"."challenge_organizers" ADD CONSTRAINT "challenge_organizers_challenge_id_challenges_id_fk" FOREIGN KEY ("challenge_id") REFERENCES "engagements"."challenges"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "engagements"."engagement_changes" ADD CONSTRAINT "engagement_changes_engagement_id_engagements_id_fk" FOREIGN KEY ("engagement_id") REFERENCES "engagements"."engagements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "engagements"."engagement_platforms" ADD CONSTRAINT "engagement_platforms_engagement_id_engagements_id_fk" FOREIGN KEY ("engagement_id") REFERENCES "engagements"."engagements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "engagements"."engagements" ADD CONSTRAINT "engagements_collectivite_id_collectivites_id_fk" FOREIGN KEY ("collectivite_id") REFERENCES "engagements"."collectivites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "engagements"."indicators" ADD CONSTRAINT "indicators_challenge_id_challenges_id_fk" FOREIGN KEY ("challenge_id") REFERENCES "engagements"."challenges"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "engagements"."manifesto_signatories" ADD CONSTRAINT "manifesto_signatories_manifesto_id_manifestos_id_fk" FOREIGN KEY ("manifesto_id") REFERENCES "engagements"."manifestos"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "engagements"."manifesto_signatories" ADD CONSTRAINT "manifesto_signatories_collectivite_id_collectivites_id_fk" FOREIGN KEY ("collectivite_id") REFERENCES "engagements"."collectivites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "engagements"."measurements" ADD CONSTRAINT "measurements_indicator_id_indicators_id_fk" FOREIGN KEY ("indicator_id") REFERENCES "engagements"."indicators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "engagements"."parcours_facilitators" ADD CONSTRAINT "parcours_facilitators_parcours_id_parcours_id_fk" FOREIGN KEY ("parcours_id") REFERENCES "engagements"."parcours"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "engagements"."parcours_participants" ADD CONSTRAINT "parcours_participants_parcours_id_parcours_id_fk" FOREIGN KEY ("parcours_id") REFERENCES "engagements"."parcours"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "engagements"."parcours_participants" ADD CONSTRAINT "parcours_participants_collectivite_id_collectivites_id_fk" FOREIGN KEY ("collectivite_id") REFERENCES "engagements"."collectivites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "collectivites_territory" ON "engagements"."collectivites" USING btree ("territory_id");--> statement-breakpoint
CREATE INDEX "engagement_changes_engagement" ON "engagements"."engagement_changes" USING btree ("engagement_id","changed_at");--> statement-breakpoint
CREATE INDEX "engagement_platforms_platform" ON "engagements"."engagement_platforms" USING btree ("platform_slug");--> statement-breakpoint
CREATE INDEX "engagements_collectivite" ON "engagements"."engagements" USING btree ("collectivite_id");--> statement-breakpoint
CREATE INDEX "engagements_status" ON "engagements"."engagements" USING btree ("status");