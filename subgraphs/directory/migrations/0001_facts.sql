CREATE TABLE "directory"."facts" (
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"field" text NOT NULL,
	"value" text NOT NULL,
	"source_url" text NOT NULL,
	"retrieved_on" date NOT NULL,
	"note" text,
	CONSTRAINT "facts_subject_type_subject_id_field_pk" PRIMARY KEY("subject_type","subject_id","field")
);
--> statement-breakpoint
ALTER TABLE "directory"."platforms" ADD COLUMN "contact_url" text;--> statement-breakpoint
ALTER TABLE "directory"."platforms" ADD COLUMN "founded_in" integer;