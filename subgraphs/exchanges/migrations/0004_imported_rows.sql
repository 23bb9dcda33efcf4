ALTER TABLE "exchanges"."categories" ADD COLUMN "source_id" text;--> statement-breakpoint
ALTER TABLE "exchanges"."categories" ADD COLUMN "source_hash" text;--> statement-breakpoint
ALTER TABLE "exchanges"."categories" ADD COLUMN "withdrawn_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "exchanges"."loans" ADD COLUMN "source_hash" text;--> statement-breakpoint
ALTER TABLE "exchanges"."loans" ADD COLUMN "withdrawn_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "exchanges"."members" ADD COLUMN "source_hash" text;--> statement-breakpoint
ALTER TABLE "exchanges"."members" ADD COLUMN "withdrawn_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "exchanges"."products" ADD COLUMN "source_hash" text;--> statement-breakpoint
ALTER TABLE "exchanges"."products" ADD COLUMN "withdrawn_at" timestamp with time zone;