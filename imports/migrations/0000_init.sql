CREATE SCHEMA "imports";
--> statement-breakpoint
CREATE TABLE "imports"."import_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"connector" text NOT NULL,
	"target" text NOT NULL,
	"status" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"progress_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"resumed" integer DEFAULT 0 NOT NULL,
	"cursor" jsonb,
	"report" jsonb NOT NULL,
	"error" text
);
--> statement-breakpoint
CREATE INDEX "import_runs_target" ON "imports"."import_runs" USING btree ("connector","target","id");--> statement-breakpoint
CREATE UNIQUE INDEX "import_runs_one_running" ON "imports"."import_runs" USING btree ("connector","target") WHERE "imports"."import_runs"."status" = 'running';