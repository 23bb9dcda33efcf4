import { and, eq, isNotNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { importEbs } from "../imports/ebs/index.js";
import { importRuns } from "../imports/tables.js";
import { type DatabaseHandle, resultRows } from "../lib/database.js";
import { categories, instances, loans, members, products } from "../subgraphs/exchanges/tables.js";
import { openScratchDatabase, startTestHub, type TestHub } from "./harness.js";

/**
 * A small EBS instance in a database of its own, with EBS's table and column names (Doctrine's
 * mapping of its entities, as its migrations create them), people's personal data included: the
 * import must leave all of it behind.
 */
const EBS_SCHEMA = `
create table address (id uuid primary key, address varchar(255) not null, street_number varchar(20) not null, street_name varchar(255) not null,
  locality varchar(255) not null, postal_code varchar(10) not null, country varchar(2) not null, latitude numeric(11, 7), longitude numeric(11, 7),
  created_at timestamp(0) not null, updated_at timestamp(0) not null);
create table category (id uuid primary key, parent_id uuid references category (id), lft int not null, lvl int not null, rgt int not null,
  type varchar(255) not null, name varchar(255) not null, slug varchar(255) not null, enabled boolean not null,
  created_at timestamp(0) not null, updated_at timestamp(0) not null);
create table "user" (id uuid primary key, address_id uuid references address (id), type varchar(255), email varchar(180) not null unique,
  lastname varchar(180), firstname varchar(180), name varchar(180), phone_number varchar(255), enabled boolean not null, schedule varchar(180),
  description varchar(255), vacation_mode boolean not null, created_at timestamp(0) not null, updated_at timestamp(0) not null);
create table product (id uuid primary key, category_id uuid not null references category (id), owner_id uuid not null references "user" (id) on delete cascade,
  type varchar(255) not null, status varchar(255) not null, visibility varchar(255) not null, name varchar(255) not null, slug varchar(255) not null,
  description text, images json, created_at timestamp(0) not null, updated_at timestamp(0) not null, age text, deposit int, currency varchar(255),
  preferred_loan_duration varchar(255), duration text);
create table service_request (id uuid primary key, owner_id uuid not null references "user" (id) on delete cascade,
  product_id uuid not null references product (id) on delete cascade, recipient_id uuid not null references "user" (id) on delete cascade,
  status varchar(255) not null, start_at timestamp(0) not null, end_at timestamp(0) not null, created_at timestamp(0) not null, updated_at timestamp(0) not null);
`;

const uuid = (n: number) => `1ef00000-0000-6000-8000-${String(n).padStart(12, "0")}`;
const NOW = "'2026-01-15 10:00:00'";
const CANARIES = [
  "Alice",
  "Canari",
  "alice@example.org",
  "0611223344",
  "Rue des Secrets",
  "Bernard",
  "bob@example.org",
];

const INSTANCE_DATA = `
insert into address values
  ('${uuid(1)}', '12 rue de l''Objetothèque, 59160 Lomme', '12', 'rue de l''Objetothèque', 'Lomme', '59160', 'FR', 50.64, 2.98, ${NOW}, ${NOW}),
  ('${uuid(2)}', '7 Rue des Secrets, 59000 Lille', '7', 'Rue des Secrets', 'Lille', '59000', 'FR', null, null, ${NOW}, ${NOW}),
  ('${uuid(3)}', '1 place de Nulle-Part, 59000 Nulle-Part', '1', 'place de Nulle-Part', 'Nulle-Part', '59000', 'FR', null, null, ${NOW}, ${NOW});
insert into category values
  ('${uuid(10)}', null, 1, 0, 4, 'object', 'Travaux & outillage', 'travaux-outillage', true, ${NOW}, ${NOW}),
  ('${uuid(11)}', '${uuid(10)}', 2, 1, 3, 'object', 'Petit outillage électrique', 'petit-outillage-electrique', true, ${NOW}, ${NOW}),
  ('${uuid(12)}', null, 5, 0, 6, 'object', 'Matériel de sports', 'materiel-de-sports', true, ${NOW}, ${NOW}),
  ('${uuid(13)}', null, 1, 0, 2, 'service', 'Cours', 'cours', true, ${NOW}, ${NOW});
insert into "user" values
  ('${uuid(20)}', '${uuid(1)}', 'place', 'objetotheque@example.org', null, null, 'Objetothèque d''essai de Lomme', '0320000000', true, 'mercredi 14h-18h', null, false, ${NOW}, ${NOW}),
  ('${uuid(21)}', '${uuid(2)}', 'user', 'alice@example.org', 'Canari', 'Alice', 'Alice C.', '0611223344', true, null, null, false, ${NOW}, ${NOW}),
  ('${uuid(22)}', null, 'user', 'bob@example.org', 'Bernard', 'Bob', null, null, true, null, null, false, ${NOW}, ${NOW}),
  ('${uuid(23)}', '${uuid(3)}', 'place', 'nullepart@example.org', null, null, 'Lieu introuvable', null, true, null, null, false, ${NOW}, ${NOW}),
  ('${uuid(24)}', null, 'admin', 'admin@example.org', 'Admin', 'Ada', null, null, true, null, null, false, ${NOW}, ${NOW});
insert into product values
  ('${uuid(30)}', '${uuid(11)}', '${uuid(20)}', 'object', 'active', 'public', 'Perceuse d''essai', 'perceuse-d-essai', 'Avec ses mèches.', null, '2026-01-10 09:00:00', ${NOW}, '2 ans', 3000, 'EUR', '3 jours', null),
  ('${uuid(31)}', '${uuid(12)}', '${uuid(21)}', 'object', 'active', 'public', 'Tente d''essai', 'tente-d-essai', null, null, '2026-01-11 09:00:00', ${NOW}, null, null, null, '1 semaine', null),
  ('${uuid(32)}', '${uuid(12)}', '${uuid(21)}', 'object', 'active', 'restricted', 'Canoë du groupe', 'canoe-du-groupe', 'Pour le groupe.', null, ${NOW}, ${NOW}, null, null, null, null, null),
  ('${uuid(33)}', '${uuid(13)}', '${uuid(22)}', 'service', 'active', 'public', 'Cours de couture d''essai', 'cours-de-couture-d-essai', 'Débutants.', null, ${NOW}, ${NOW}, null, null, null, null, '1h30'),
  ('${uuid(34)}', '${uuid(10)}', '${uuid(20)}', 'object', 'lost', 'public', 'Marteau perdu', 'marteau-perdu', null, null, ${NOW}, ${NOW}, null, null, null, null, null),
  ('${uuid(35)}', '${uuid(10)}', '${uuid(23)}', 'object', 'active', 'public', 'Scie du lieu introuvable', 'scie-du-lieu-introuvable', null, null, ${NOW}, ${NOW}, null, null, null, null, null);
insert into service_request values
  ('${uuid(40)}', '${uuid(20)}', '${uuid(30)}', '${uuid(21)}', 'finished', '2026-02-02 00:00:00', '2026-02-05 00:00:00', ${NOW}, ${NOW}),
  ('${uuid(41)}', '${uuid(20)}', '${uuid(30)}', '${uuid(22)}', 'confirmed', '2026-03-02 00:00:00', '2026-03-05 00:00:00', ${NOW}, ${NOW}),
  ('${uuid(42)}', '${uuid(20)}', '${uuid(30)}', '${uuid(21)}', 'confirmed', '2026-03-04 00:00:00', '2026-03-06 00:00:00', ${NOW}, ${NOW}),
  ('${uuid(43)}', '${uuid(21)}', '${uuid(31)}', '${uuid(22)}', 'new', '2026-04-01 00:00:00', '2026-04-08 00:00:00', ${NOW}, ${NOW});
`;

const SECRET = "a test secret of at least thirty-two characters";
let hub: TestHub;
let ebs: DatabaseHandle;

beforeAll(async () => {
  [hub, ebs] = await Promise.all([startTestHub(), openScratchDatabase()]);
  // One statement at a time: PGlite prepares each query, and a prepared statement holds one.
  for (const statement of `${EBS_SCHEMA}${INSTANCE_DATA}`.split(/;\s*\n/).filter((s) => s.trim()))
    await ebs.db.execute(sql.raw(statement));
});
afterAll(async () => {
  await hub?.close();
  await ebs?.close();
});

const run = () =>
  importEbs(hub.database.db, {
    instance: "lomme",
    source: ebs.db,
    pseudonymSecret: SECRET,
    batchSize: 2,
  });

let queries = 0;
async function lomme() {
  const { data, errors } = await hub.query<
    {
      territory: {
        places: { name: string }[];
        products: {
          nodes: {
            id: string;
            name: string;
            type: string;
            category: { id: string; name: string };
          }[];
        };
      };
    },
    never
  >(
    `query Lomme${queries++} { territory(id: "COMA:59355") { places { name } products(first: 60) { nodes { id name type category { id name } } } } }`,
  );
  expect(errors).toBeUndefined();
  return {
    places: data!.territory.places.map((p) => p.name),
    products: data!.territory.products.nodes.filter((p) => p.id.startsWith("ebs-lomme-")),
  };
}

describe("import ebs", () => {
  it("imports categories, places, people as pseudonyms, products and loans, and reports what it rejected", async () => {
    const { report } = await run();
    const { counts, rejected } = report.data;
    expect(counts.categories).toEqual({
      created: 1,
      updated: 0,
      unchanged: 3,
      skipped: 0,
      withdrawn: 0,
    });
    expect(counts.members).toEqual({
      created: 3,
      updated: 0,
      unchanged: 0,
      skipped: 0,
      withdrawn: 0,
    });
    expect(counts.products).toEqual({
      created: 4,
      updated: 0,
      unchanged: 0,
      skipped: 0,
      withdrawn: 0,
    });
    expect(counts.loans).toEqual({
      created: 3,
      updated: 0,
      unchanged: 0,
      skipped: 0,
      withdrawn: 0,
    });
    expect(rejected).toEqual([
      {
        entity: "members",
        sourceId: uuid(23),
        reason: 'commune not resolved: no commune named "Nulle-Part" has postcode 59000',
      },
      {
        entity: "products",
        sourceId: uuid(34),
        reason: 'status "lost" is not one of active, paused, deleted',
      },
      { entity: "products", sourceId: uuid(35), reason: "its owner was not imported" },
      {
        entity: "loans",
        sourceId: uuid(42),
        reason: "refused by the constraint loans_no_overlap_when_confirmed",
      },
    ]);

    const [drill] = await hub.database.db
      .select()
      .from(products)
      .where(eq(products.id, `ebs-lomme-${uuid(30)}`));
    expect(drill).toMatchObject({
      source: "ebs:lomme",
      sourceId: uuid(30),
      categoryId: "petit-outillage-electrique",
      depositCents: 3000,
      preferredLoanDays: 3,
      age: "2 ans",
    });
    expect(drill!.createdAt.toISOString()).toBe("2026-01-10T08:00:00.000Z");
    const [course] = await hub.database.db
      .select()
      .from(products)
      .where(eq(products.id, `ebs-lomme-${uuid(33)}`));
    expect(course).toMatchObject({ type: "SERVICE", durationMinutes: 90 });
  });

  it("copies nothing personal: people are pseudonyms, placed by commune only", async () => {
    const people = await hub.database.db
      .select()
      .from(members)
      .where(and(eq(members.source, "ebs:lomme"), eq(members.kind, "PERSON")));
    expect(people).toHaveLength(2);
    const stored =
      JSON.stringify(people) +
      JSON.stringify(
        await hub.database.db.select().from(loans).where(eq(loans.source, "ebs:lomme")),
      );
    for (const canary of [...CANARIES, uuid(21), uuid(22)]) expect(stored).not.toContain(canary);
    expect(people.map((p) => p.territoryId).sort()).toEqual(["COM:59350", "COMA:59355"]);
    expect(
      people.every(
        (p) =>
          p.street === null &&
          p.postalCode === null &&
          p.locality === null &&
          /^Membre [0-9a-f]{6}$/.test(p.displayName),
      ),
    ).toBe(true);
  });

  it("shows the imported place and products through the gateway, not those restricted to groups", async () => {
    const { places, products: listed } = await lomme();
    expect(places).toContain("Objetothèque d'essai de Lomme");
    // The tent's owner lives in Lille; the course's, with no address, is filed under the instance's territory.
    expect(listed.map((p) => p.name).sort()).toEqual([
      "Cours de couture d'essai",
      "Perceuse d'essai",
    ]);
    expect(listed.find((p) => p.type === "OBJECT")!.category).toEqual({
      id: "petit-outillage-electrique",
      name: "Petit outillage électrique",
    });
  });

  it("changes nothing on a second run", async () => {
    const { report } = await run();
    for (const entity of ["members", "products", "loans"])
      expect(report.data.counts[entity]).toEqual({
        created: 0,
        updated: 0,
        unchanged: 3 + Number(entity === "products"),
        skipped: 0,
        withdrawn: 0,
      });
    expect(report.data.counts.categories).toMatchObject({ created: 0, updated: 0 });
  });

  it("updates a changed product and withdraws what is gone, keeping it for statistics", async () => {
    await ebs.db.execute(
      sql.raw(`update product set name = 'Perceuse d''essai (révisée)' where id = '${uuid(30)}'`),
    );
    await ebs.db.execute(sql.raw(`delete from product where id = '${uuid(31)}'`)); // its loan goes with it
    const { report } = await run();
    expect(report.data.counts.products).toEqual({
      created: 0,
      updated: 1,
      unchanged: 2,
      skipped: 0,
      withdrawn: 1,
    });
    expect(report.data.counts.loans).toEqual({
      created: 0,
      updated: 0,
      unchanged: 2,
      skipped: 0,
      withdrawn: 1,
    });

    const { products: listed } = await lomme();
    expect(listed.map((p) => p.name).sort()).toEqual([
      "Cours de couture d'essai",
      "Perceuse d'essai (révisée)",
    ]);
    const withdrawn = await hub.database.db
      .select()
      .from(loans)
      .where(and(eq(loans.source, "ebs:lomme"), isNotNull(loans.withdrawnAt)));
    expect(withdrawn.map((l) => l.sourceId)).toEqual([uuid(43)]);
  });

  it("registers an instance the hub does not know only when told its territory; its people get other pseudonyms", async () => {
    const other = (register?: { territoryId: string; name: string }) =>
      importEbs(hub.database.db, {
        instance: "essai",
        source: ebs.db,
        pseudonymSecret: SECRET,
        ...(register ? { register } : {}),
      });
    await expect(other()).rejects.toThrow('Unknown EBS instance "essai"');
    // A database that is not an EBS one (here the hub's own) fails before anything is written: no instance, no run.
    const wrong = importEbs(hub.database.db, {
      instance: "essai",
      source: hub.database.db,
      pseudonymSecret: SECRET,
      register: { territoryId: "COM:59350", name: "EBS d'essai" },
    });
    await expect(wrong).rejects.toThrow(
      'The database given for EBS instance "essai" cannot be read as an EBS database: relation "category" does not exist',
    );
    expect(
      await hub.database.db.select().from(instances).where(eq(instances.slug, "essai")),
    ).toEqual([]);
    expect(
      await hub.database.db.select().from(importRuns).where(eq(importRuns.target, "essai")),
    ).toEqual([]);
    const { report } = await other({ territoryId: "COM:59350", name: "EBS d'essai" });
    expect(report.data.counts.members).toMatchObject({ created: 3 });
    const ids = (instance: string) =>
      hub.database.db
        .select({ id: members.id })
        .from(members)
        .where(and(eq(members.source, `ebs:${instance}`), eq(members.kind, "PERSON")))
        .then((rows) => rows.map((r) => r.id.split("-m-")[1]));
    const [lomme, essai] = await Promise.all([ids("lomme"), ids("essai")]);
    expect(essai).toHaveLength(2);
    expect(essai.filter((id) => lomme.includes(id))).toEqual([]);
  });

  // Two writers at once need PostgreSQL: PGlite has one connection, so its transactions never overlap.
  it.runIf(inject("testDatabase").driver === "postgres")(
    "imports a category another instance creates at the same moment, which keeps its provenance",
    async () => {
      await ebs.db.execute(
        sql.raw(
          `insert into category values ('${uuid(14)}', null, 7, 0, 8, 'object', 'Jardinage', 'jardinage-essai', true, ${NOW}, ${NOW})`,
        ),
      );
      let commit!: () => void;
      const committed = new Promise<void>((resolve) => (commit = resolve));
      // The other instance's import has written the row, and not committed yet.
      const other = hub.database.db.transaction(async (tx) => {
        await tx.insert(categories).values({
          id: "jardinage-essai",
          type: "OBJECT",
          name: "Jardinage",
          parentId: null,
          position: 3,
          source: "ebs:autre",
          sourceId: "autre-3",
        });
        await committed;
      });
      const ours = run();
      const waiting = async () =>
        resultRows(
          await hub.database.db.execute(
            sql`select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
          ),
        ).length;
      await expect.poll(waiting, { timeout: 30_000 }).toBe(1);
      commit();
      await other;
      const { report } = await ours;
      expect(report.data.counts.categories).toMatchObject({ created: 0, unchanged: 5 });
      const [row] = await hub.database.db
        .select()
        .from(categories)
        .where(eq(categories.id, "jardinage-essai"));
      expect(row).toMatchObject({ source: "ebs:autre", sourceId: "autre-3", position: 3 });
    },
  );
});
