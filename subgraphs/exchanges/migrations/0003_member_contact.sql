ALTER TABLE "exchanges"."members" ADD COLUMN "email" text;--> statement-breakpoint
ALTER TABLE "exchanges"."members" ADD COLUMN "phone" text;--> statement-breakpoint
CREATE INDEX "loans_lender" ON "exchanges"."loans" USING btree ("lender_id","start_date");--> statement-breakpoint
CREATE INDEX "loans_borrower" ON "exchanges"."loans" USING btree ("borrower_id","start_date");