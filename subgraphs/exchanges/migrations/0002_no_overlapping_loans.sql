-- No object is lent twice at once: the database itself refuses a second confirmed loan of a
-- product over days another confirmed loan already holds (both ends included).
ALTER TABLE "exchanges"."loans"
  ADD CONSTRAINT "loans_no_overlap_when_confirmed"
  EXCLUDE USING gist ("product_id" WITH =, daterange("start_date", "end_date", '[]') WITH &&)
  WHERE ("status" = 'CONFIRMED');
--> statement-breakpoint
ALTER TABLE "exchanges"."loans" ADD CONSTRAINT "loans_dates_in_order" CHECK ("start_date" <= "end_date");
--> statement-breakpoint
ALTER TABLE "exchanges"."unavailabilities" ADD CONSTRAINT "unavailabilities_dates_in_order" CHECK ("start_date" <= "end_date");
