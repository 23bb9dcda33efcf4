-- One totals row per key made the bookings of a month wait for each other, each holding the row from
-- its trigger to its commit (measured on PostgreSQL 15: of 10 concurrent bookings of 10 repairers,
-- 1.9 to 3 waited on a lock at any instant; of 20, 4 to 4.7). Each key is now split over 16 stripes by
-- repairer (0.05 to 0.2 waiting; 1.1 to 1.4): bookings of one repairer already wait for each other
-- (its row lock), others only when their repairers share a stripe. The statistics sum the stripes:
-- at most 16 times the rows (3,300 at scale, about 1 ms; summing the per-repairer counts took 110 ms).
-- Writers wait until this migration commits: the totals are recounted from the per-repairer counts.
LOCK TABLE "bookings"."appointments" IN SHARE MODE;
--> statement-breakpoint
-- md5 rather than hashtext, whose values PostgreSQL does not promise to keep across versions: a
-- repairer whose stripe changed would decrement a count it never added to.
CREATE FUNCTION "bookings"."totals_stripe"(repairer_id text) RETURNS smallint
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT (get_byte(decode(md5(repairer_id), 'hex'), 0) & 15)::smallint $$;
--> statement-breakpoint
TRUNCATE "bookings"."appointment_totals";
--> statement-breakpoint
ALTER TABLE "bookings"."appointment_totals" DROP CONSTRAINT "appointment_totals_month_status_prestation_id_pk";
--> statement-breakpoint
ALTER TABLE "bookings"."appointment_totals" ADD COLUMN "stripe" smallint NOT NULL;
--> statement-breakpoint
ALTER TABLE "bookings"."appointment_totals" ADD CONSTRAINT "appointment_totals_month_status_prestation_id_stripe_pk" PRIMARY KEY("month","status","prestation_id","stripe");
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "bookings"."count_appointments"() RETURNS trigger LANGUAGE plpgsql AS $$
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
      INSERT INTO bookings.appointment_totals AS stored (month, status, prestation_id, stripe, count)
      SELECT bookings.paris_month(slot_time), status, coalesce(prestation_id, ''), bookings.totals_stripe(repairer_id), sum(delta)::int
      FROM (%s) changed
      GROUP BY 1, 2, 3, 4 HAVING sum(delta) <> 0 ORDER BY 1, 2, 3, 4
      ON CONFLICT (month, status, prestation_id, stripe) DO UPDATE SET count = stored.count + excluded.count
      RETURNING count)
    SELECT min(count) FROM counted
  $upsert$, changed) INTO lowest_total;
  IF least(lowest, lowest_total) < 0 THEN
    RAISE EXCEPTION 'bookings.appointment_counts would count % appointments for a key: the counts no longer match the appointments', least(lowest, lowest_total);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
INSERT INTO "bookings"."appointment_totals" ("month", "status", "prestation_id", "stripe", "count")
SELECT "month", "status", "prestation_id", "bookings"."totals_stripe"("repairer_id"), sum("count") FROM "bookings"."appointment_counts" GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
ANALYZE "bookings"."appointment_totals";
