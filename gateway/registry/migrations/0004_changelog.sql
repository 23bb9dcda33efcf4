ALTER TABLE "registry"."subgraph_versions" ADD COLUMN "publisher" text;--> statement-breakpoint
ALTER TABLE "registry"."supergraphs" ADD COLUMN "subgraph" text;--> statement-breakpoint
ALTER TABLE "registry"."supergraphs" ADD COLUMN "subgraph_version" integer;--> statement-breakpoint
ALTER TABLE "registry"."supergraphs" ADD COLUMN "publisher" text;--> statement-breakpoint
ALTER TABLE "registry"."supergraphs" ADD COLUMN "changes" jsonb;--> statement-breakpoint
-- Earlier rows: the subgraph and version from what made them (`publish carpool v2`, `rollback carpool to v1`, `remove carpool`).
UPDATE "registry"."supergraphs" SET "subgraph" = split_part("action", ' ', 2), "subgraph_version" = CASE WHEN "action" LIKE 'remove %' THEN NULL ELSE substring("action" from ' v([0-9]+)$')::integer END;--> statement-breakpoint
-- Their publisher from the API key that made them: its partner, or `admin`.
UPDATE "registry"."supergraphs" s SET "publisher" = CASE WHEN k."role" = 'admin' THEN 'admin' ELSE k."acts_for_id" END FROM "access"."api_keys" k WHERE s."created_by" = 'key:' || k."id";--> statement-breakpoint
UPDATE "registry"."subgraph_versions" v SET "publisher" = CASE WHEN k."role" = 'admin' THEN 'admin' ELSE k."acts_for_id" END FROM "access"."api_keys" k WHERE v."published_by" = 'key:' || k."id";
