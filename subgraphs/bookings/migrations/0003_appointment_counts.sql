CREATE TABLE "bookings"."appointment_counts" (
	"repairer_id" text NOT NULL,
	"month" date NOT NULL,
	"status" text NOT NULL,
	"prestation_id" text NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "appointment_counts_repairer_id_month_status_prestation_id_pk" PRIMARY KEY("repairer_id","month","status","prestation_id")
);
--> statement-breakpoint
CREATE TABLE "bookings"."appointment_totals" (
	"month" date NOT NULL,
	"status" text NOT NULL,
	"prestation_id" text NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "appointment_totals_month_status_prestation_id_pk" PRIMARY KEY("month","status","prestation_id")
);
--> statement-breakpoint
-- The month of a slot as the statistics count it: in Europe/Paris, the hub's time zone (lib/time.ts).
CREATE FUNCTION "bookings"."paris_month"(slot timestamp with time zone) RETURNS date
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT date_trunc('month', slot AT TIME ZONE 'Europe/Paris')::date $$;
--> statement-breakpoint
-- Adds what one statement changed in "appointments" to "appointment_counts" and "appointment_totals",
-- in that statement's transaction: one upsert per table and statement (a 50,000-row insert is one),
-- per-repairer counts first and keys in order, so that concurrent writers lock the counts they
-- share in the same order. A count that would fall below zero fails the write rather than leave a
-- wrong count.
CREATE FUNCTION "bookings"."count_appointments"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed text;
  lowest integer;
  lowest_total integer;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM bookings.appointment_counts;
    DELETE FROM bookings.appointment_totals;
    RETURN NULL;
  END IF;
  -- The transition tables exist only for the events that have them: the queries name those.
  changed := CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT repairer_id, slot_time, status, prestation_id, 1 AS delta FROM new_rows'
    WHEN 'DELETE' THEN 'SELECT repairer_id, slot_time, status, prestation_id, -1 AS delta FROM old_rows'
    ELSE 'SELECT repairer_id, slot_time, status, prestation_id, 1 AS delta FROM new_rows
          UNION ALL SELECT repairer_id, slot_time, status, prestation_id, -1 FROM old_rows'
  END;
  EXECUTE format($upsert$
    WITH counted AS (
      INSERT INTO bookings.appointment_counts AS stored (repairer_id, month, status, prestation_id, count)
      SELECT repairer_id, bookings.paris_month(slot_time), status, coalesce(prestation_id, ''), sum(delta)::int
      FROM (%s) changed
      GROUP BY 1, 2, 3, 4 HAVING sum(delta) <> 0 ORDER BY 1, 2, 3, 4
      ON CONFLICT (repairer_id, month, status, prestation_id) DO UPDATE SET count = stored.count + excluded.count
      RETURNING count)
    SELECT min(count) FROM counted
  $upsert$, changed) INTO lowest;
  EXECUTE format($upsert$
    WITH counted AS (
      INSERT INTO bookings.appointment_totals AS stored (month, status, prestation_id, count)
      SELECT bookings.paris_month(slot_time), status, coalesce(prestation_id, ''), sum(delta)::int
      FROM (%s) changed
      GROUP BY 1, 2, 3 HAVING sum(delta) <> 0 ORDER BY 1, 2, 3
      ON CONFLICT (month, status, prestation_id) DO UPDATE SET count = stored.count + excluded.count
      RETURNING count)
    SELECT min(count) FROM counted
  $upsert$, changed) INTO lowest_total;
  IF least(lowest, lowest_total) < 0 THEN
    RAISE EXCEPTION 'bookings.appointment_counts would count % appointments for a key: the counts no longer match the appointments', least(lowest, lowest_total);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "appointments_count_inserted" AFTER INSERT ON "bookings"."appointments"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "bookings"."count_appointments"();
--> statement-breakpoint
CREATE TRIGGER "appointments_count_updated" AFTER UPDATE ON "bookings"."appointments"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "bookings"."count_appointments"();
--> statement-breakpoint
CREATE TRIGGER "appointments_count_deleted" AFTER DELETE ON "bookings"."appointments"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "bookings"."count_appointments"();
--> statement-breakpoint
CREATE TRIGGER "appointments_count_truncated" AFTER TRUNCATE ON "bookings"."appointments"
  FOR EACH STATEMENT EXECUTE FUNCTION "bookings"."count_appointments"();
--> statement-breakpoint
-- The appointments already there, counted after the triggers exist: creating them locked the table
-- against writes until this migration commits, so no write falls between the two.
INSERT INTO "bookings"."appointment_counts" ("repairer_id", "month", "status", "prestation_id", "count")
SELECT "repairer_id", "bookings"."paris_month"("slot_time"), "status", coalesce("prestation_id", ''), count(*)
FROM "bookings"."appointments" GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
INSERT INTO "bookings"."appointment_totals" ("month", "status", "prestation_id", "count")
SELECT "month", "status", "prestation_id", sum("count") FROM "bookings"."appointment_counts" GROUP BY 1, 2, 3;
--> statement-breakpoint
-- So that the first statistics after the migration are planned on the counts' real size.
ANALYZE "bookings"."appointment_counts", "bookings"."appointment_totals";
