import { type SQL, sql } from "drizzle-orm";
import { prepareDatabase } from "../../gateway/hub.js";
import { openDatabase, resultRows } from "../../lib/database.js";
import { TERRITORY_KINDS } from "../../lib/territories.js";
import type { BenchDatabase } from "./databases.js";

/** The scale run's size (issue 9). */
export const SCALE = {
  repairers: 5_000,
  members: 5_000,
  products: 100_000,
  appointments: 500_000,
} as const;
const BATCH = 50_000;
/** Provenance of every generated row: `source`, with the seeded row it was copied from in `source_id` where there is one. */
const SOURCE = "bench-scale";

/** Communes of the Hauts-de-France, numbered from 0, to spread the generated rows over the region. */
const COMMUNES = sql`(select id, name, path, row_number() over (order by id) - 1 as n from directory.territories where kind = ${TERRITORY_KINDS.COM} and 'REG:32' = any(path))`;

/**
 * Fills a benchmark database with generated rows, in SQL so that it takes seconds: repairers and
 * members copied from the seed's (opening hours, bike types, instance) and spread over the region's
 * communes, products copied from the seed's and owned by those members, past appointments
 * (validated, refused or cancelled, so that they leave every future slot free).
 */
export async function generateScaleData(database: BenchDatabase): Promise<number> {
  const started = performance.now();
  const handle = await openDatabase(database.open);
  const progress = (line: string) => console.log(`  │ scale: ${line}`);
  try {
    await prepareDatabase(handle, undefined, () => {});
    const run = (statement: SQL) => handle.db.execute(statement);

    await run(sql`
      with templates as (select *, row_number() over (order by id) - 1 as n from bookings.repairers where enabled and source <> ${SOURCE}),
           template_count as (select count(*) as c from templates),
           commune_count as (select count(*) as c from ${COMMUNES} x)
      insert into bookings.repairers (id, slug, name, description, city, territory_id, territory_path, slot_duration_minutes, parallel_slots, enabled, source, source_id)
      select 'scale-' || g, 'scale-' || g, 'Réparateur ' || g || ' (généré)', t.description, c.name, c.id, c.path, t.slot_duration_minutes, t.parallel_slots, true, ${SOURCE}, t.id
      from generate_series(0, ${SCALE.repairers - 1}::int) g
      join templates t on t.n = g % (select c from template_count)
      join ${COMMUNES} c on c.n = (g * 7919) % (select c from commune_count)`);
    await run(sql`insert into bookings.opening_hours (repairer_id, weekday, start_time, end_time)
      select r.id, o.weekday, o.start_time, o.end_time from bookings.repairers r join bookings.opening_hours o on o.repairer_id = r.source_id where r.source = ${SOURCE}`);
    await run(sql`insert into bookings.repairer_bike_types (repairer_id, bike_type_id)
      select r.id, b.bike_type_id from bookings.repairers r join bookings.repairer_bike_types b on b.repairer_id = r.source_id where r.source = ${SOURCE}`);
    progress(`${SCALE.repairers} repairers`);

    await run(
      sql`insert into bookings.customers (id) select 'scale-client-' || g from generate_series(0, 4999) g on conflict do nothing`,
    );
    for (let from = 0; from < SCALE.appointments; from += BATCH) {
      await run(sql`
        with repairer_ids as (select array_agg(id order by id) as ids from bookings.repairers where enabled)
        insert into bookings.appointments (id, repairer_id, customer_id, slot_time, bike_type_id, status, cancelled_by, created_at, updated_at, source)
        select gen_random_uuid(), ids[1 + (g * 31) % array_length(ids, 1)], 'scale-client-' || (g % 5000),
               date_trunc('day', now()) - (1 + g % 365) * interval '1 day' + (9 + g % 8) * interval '1 hour',
               'velo-classique',
               (array['VALIDATED', 'REFUSED', 'CANCELLED', 'VALIDATED'])[1 + g % 4],
               case when g % 4 = 2 then 'CUSTOMER' end,
               now() - (2 + g % 365) * interval '1 day', now() - (1 + g % 365) * interval '1 day', ${SOURCE}
        from generate_series(${from}::int, ${Math.min(from + BATCH, SCALE.appointments) - 1}::int) g, repairer_ids`);
      progress(
        `${Math.min(from + BATCH, SCALE.appointments)} / ${SCALE.appointments} appointments`,
      );
    }

    await run(sql`
      with templates as (select *, row_number() over (order by id) - 1 as n from exchanges.members where kind = 'PERSON' and source <> ${SOURCE}),
           template_count as (select count(*) as c from templates),
           commune_count as (select count(*) as c from ${COMMUNES} x)
      insert into exchanges.members (id, instance_slug, kind, display_name, territory_id, territory_path, source, source_id)
      select 'scale-' || g, t.instance_slug, 'PERSON', 'Membre ' || g, c.id, c.path, ${SOURCE}, t.id
      from generate_series(0, ${SCALE.members - 1}::int) g
      join templates t on t.n = g % (select c from template_count)
      join ${COMMUNES} c on c.n = (g * 104729) % (select c from commune_count)`);
    progress(`${SCALE.members} exchange members`);
    for (let from = 0; from < SCALE.products; from += BATCH) {
      await run(sql`
        with templates as (select *, row_number() over (order by id) - 1 as n from exchanges.products where status = 'ACTIVE' and visibility = 'PUBLIC' and source <> ${SOURCE}),
             template_count as (select count(*) as c from templates)
        insert into exchanges.products (id, instance_slug, owner_id, type, category_id, status, visibility, name, slug, description, age, deposit_cents, currency, preferred_loan_days, duration_minutes, territory_path, source, source_id)
        select 'scale-' || g, m.instance_slug, m.id, t.type, t.category_id, 'ACTIVE', 'PUBLIC', t.name || ' n° ' || g, 'scale-' || g, t.description,
               t.age, t.deposit_cents, t.currency, t.preferred_loan_days, t.duration_minutes, m.territory_path, ${SOURCE}, t.id
        from generate_series(${from}::int, ${Math.min(from + BATCH, SCALE.products) - 1}::int) g
        join templates t on t.n = g % (select c from template_count)
        join exchanges.members m on m.id = 'scale-' || (g % ${SCALE.members}::int)`);
      progress(`${Math.min(from + BATCH, SCALE.products)} / ${SCALE.products} products`);
    }
    // An empty join inserts nothing without an error: the scale runs were once taken on the seed's
    // rows alone, the generator looking for communes under a kind the directory does not use.
    const [generated] = resultRows<Record<keyof typeof SCALE, number>>(
      await run(sql`select
        (select count(*)::int from bookings.repairers where source = ${SOURCE}) as repairers,
        (select count(*)::int from exchanges.members where source = ${SOURCE}) as members,
        (select count(*)::int from exchanges.products where source = ${SOURCE}) as products,
        (select count(*)::int from bookings.appointments where source = ${SOURCE}) as appointments`),
    );
    const short = (Object.keys(SCALE) as (keyof typeof SCALE)[]).filter(
      (key) => generated![key] !== SCALE[key],
    );
    if (short.length)
      throw new Error(
        `the scale data is short: ${short.map((key) => `${generated![key]} ${key} of ${SCALE[key]}`).join(", ")}`,
      );
    // Fresh statistics, as autovacuum would compute them after such a load.
    await run(sql`analyze`);
  } finally {
    await handle.close();
  }
  return performance.now() - started;
}
