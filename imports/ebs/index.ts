import { eq, inArray, type SQL, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import { resolveCommune } from "../../lib/communes.js";
import { type Database, resultRows } from "../../lib/database.js";
import { territoryPath } from "../../lib/territories.js";
import { HUB_TIME_ZONE } from "../../lib/time.js";
import {
  categories,
  instances,
  loans,
  members,
  products,
} from "../../subgraphs/exchanges/tables.js";
import {
  type JsonRecord,
  MalformedRecord,
  optionalInteger,
  optionalString,
  requiredString,
} from "../fields.js";
import type { ImportReport } from "../report.js";
import { type Batch, type ImportResult, type Phase, runImport } from "../runner.js";
import {
  describeError,
  type ImportedTable,
  type Incoming,
  withdrawMissing,
  writeBatch,
} from "../sync.js";
import { durationMinutes, loanDays, pseudonym, upperEnum } from "./map.js";

export interface EbsOptions {
  /** The hub's slug of the EBS instance this database belongs to. */
  instance: string;
  /** The instance's database, read in read-only transactions only. */
  source: Database;
  /** Key of the people's pseudonyms (`HUB_PSEUDONYM_SECRET`): keep it, or every person gets a new one. */
  pseudonymSecret: string;
  /** To register an instance the hub does not know yet: the territory it serves, and its name. */
  register?: { territoryId: string; name?: string };
  batchSize?: number;
  progress?(line: string): void;
  maxRejectedShare?: number | undefined;
}

const PRODUCT_TYPES = ["OBJECT", "SERVICE"] as const;
const PRODUCT_STATUSES = ["ACTIVE", "PAUSED", "DELETED"] as const;
const VISIBILITIES = ["PUBLIC", "RESTRICTED"] as const;
const LOAN_STATUSES = ["NEW", "TO_CONFIRM", "CONFIRMED", "FINISHED", "REFUSED"] as const;

/** The tables an EBS import fills row by row, by their name in the report. */
const IMPORTED = { members, products, loans } satisfies Record<string, ImportedTable>;
type Entity = keyof typeof IMPORTED;

/** EBS stores wall-clock times without a zone: `YYYY-MM-DDTHH:MI:SS` as Paris time. */
const wallClock = (column: SQL) => sql`to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS')`;

/**
 * Imports one EBS instance from its database into the exchanges schema: categories, the places
 * (objetothèques) and, as pseudonymous members, the people who own or borrow, their products and
 * their loans. Nothing is written to the source: every read is a READ ONLY transaction, and no
 * name, e-mail, phone or address of a person is even selected.
 */
export async function importEbs(db: Database, options: EbsOptions): Promise<ImportResult> {
  const { instance, pseudonymSecret } = options;
  if (pseudonymSecret.length < 32)
    throw new Error("The pseudonym secret (HUB_PSEUDONYM_SECRET) must be at least 32 characters.");
  const read = (query: SQL) =>
    options.source.transaction(async (tx) => resultRows<JsonRecord>(await tx.execute(query)), {
      accessMode: "read only",
    });
  // Before anything is written (an instance registered, a run begun): a wrong database fails here.
  try {
    await read(
      sql`select (select 1 from category limit 1), (select 1 from "user" limit 1), (select 1 from product limit 1), (select 1 from service_request limit 1)`,
    );
  } catch (error) {
    throw new Error(
      `The database given for EBS instance "${instance}" cannot be read as an EBS database: ${describeError(error)}`,
    );
  }
  const hubInstance = await ensureInstance(db, options);
  const source = `ebs:${instance}`;
  const batchSize = options.batchSize ?? 200;
  const progress = options.progress ?? (() => {});

  /** A phase reads its table in id order, a batch at a time: `after(alias)` is where it resumes. */
  const phase = (
    name: string,
    query: (after: (alias: string) => SQL) => SQL,
    prepare: (rows: JsonRecord[]) => Promise<Omit<Batch, "next" | "size">>,
  ): Phase => ({
    name,
    read: async (position) => {
      const after = (alias: string) =>
        position === null ? sql`true` : sql`${sql.identifier(alias)}.id > ${position}::uuid`;
      const rows = await read(query(after));
      return {
        ...(await prepare(rows)),
        next: rows.length === batchSize ? String(rows.at(-1)!.id) : null,
        size: rows.length,
      };
    },
  });
  /** Maps each row; one that does not fit is rejected, yet seen (it is still at the source). */
  const mapEach = (
    entity: Entity,
    rows: JsonRecord[],
    map: (row: JsonRecord) => Incoming,
    seenId = (row: JsonRecord) => String(row.id),
  ) => {
    const records: Incoming[] = [];
    const rejections: [string, string][] = [];
    for (const row of rows) {
      try {
        records.push(map(row));
      } catch (error) {
        if (!(error instanceof MalformedRecord)) throw error;
        rejections.push([seenId(row), error.message]);
      }
    }
    return {
      seen: { [entity]: rows.map(seenId) },
      write: async (tx: Database, report: ImportReport) => {
        for (const [id, reason] of rejections) report.reject(entity, id, reason);
        await writeBatch(tx, records, { table: IMPORTED[entity], entity, report });
      },
    };
  };

  const memberId = (type: unknown, id: string) =>
    type === "place"
      ? `ebs-${instance}-${id}`
      : `ebs-${instance}-m-${pseudonym(pseudonymSecret, instance, id)}`;
  const sourceIdOf = (row: JsonRecord) =>
    row.type === "place" ? String(row.id) : pseudonym(pseudonymSecret, instance, String(row.id));
  const ownerPaths = async (ids: string[]) =>
    new Map(
      (ids.length
        ? await db
            .select({ id: members.id, path: members.territoryPath })
            .from(members)
            .where(inArray(members.id, ids))
        : []
      ).map((m) => [m.id, m.path]),
    );

  const phases: Phase[] = [
    phase(
      "categories",
      (after) => sql`select c.id::text as id, c.type, c.name, c.slug, c.lft, p.slug as parent_slug
        from category c left join category p on p.id = c.parent_id where ${after("c")} order by c.id limit ${batchSize}`,
      async (rows) => ({
        seen: {},
        write: async (tx, report) => {
          for (const row of rows) {
            try {
              const type = upperEnum(row.type, PRODUCT_TYPES, "type");
              const slug = requiredString(row, "slug");
              const category = {
                id: slug,
                type,
                name: requiredString(row, "name"),
                parentId: optionalString(row, "parent_slug"),
                position: optionalInteger(row, "lft") ?? 0,
              };
              // Categories are shared by every instance, keyed by slug: the first to name one creates
              // it and is its provenance. Another instance may create it at the same moment, hence
              // no error on conflict: the row there is then checked like any existing one.
              const created = await tx
                .insert(categories)
                .values({ ...category, source, sourceId: String(row.id) })
                .onConflictDoNothing({ target: categories.id })
                .returning({ id: categories.id });
              if (created.length) {
                report.count("categories", "created");
                continue;
              }
              const [existing] = await tx
                .select({ type: categories.type })
                .from(categories)
                .where(eq(categories.id, slug));
              if (existing!.type !== type)
                throw new MalformedRecord(
                  `slug "${slug}" is a ${existing!.type.toLowerCase()} category in the hub`,
                );
              report.count("categories", "unchanged");
            } catch (error) {
              if (!(error instanceof MalformedRecord)) throw error;
              report.reject("categories", String(row.id), error.message);
            }
          }
        },
      }),
    ),
    phase(
      "members",
      // People are read for their commune only: never their name, e-mail, phone or street.
      (after) => sql`select u.id::text as id, u.type,
          case when u.type = 'place' then u.name end as place_name,
          case when u.type = 'place' then nullif(concat_ws(' ', a.street_number, a.street_name), '') end as place_street,
          a.postal_code, a.locality
        from "user" u left join address a on a.id = u.address_id
        where (u.type = 'place' or exists (select 1 from product p where p.owner_id = u.id)
          or exists (select 1 from service_request s where s.recipient_id = u.id or s.owner_id = u.id))
          and ${after("u")} order by u.id limit ${batchSize}`,
      async (rows) =>
        mapEach(
          "members",
          rows,
          (row) => {
            const place = row.type === "place";
            const commune = resolveCommune(
              optionalString(row, "locality"),
              optionalString(row, "postal_code"),
            );
            // A place is found by its address: one that cannot be placed is reported. A person's
            // commune only files their products; without one, the instance's territory does.
            if (place && !commune.id)
              throw new MalformedRecord(`commune not resolved: ${commune.reason}`);
            const territoryId = commune.id ?? hubInstance.territoryId;
            const key = sourceIdOf(row);
            return {
              sourceId: key,
              row: {
                id: memberId(row.type, String(row.id)),
                instanceSlug: instance,
                kind: place ? "PLACE" : "PERSON",
                displayName: place
                  ? requiredString(row, "place_name")
                  : `Membre ${key.slice(0, 6)}`,
                street: place ? optionalString(row, "place_street") : null,
                postalCode: place ? optionalString(row, "postal_code") : null,
                locality: place ? optionalString(row, "locality") : null,
                schedule: null,
                territoryId,
                territoryPath: territoryPath(territoryId),
                source,
                sourceId: key,
              },
            };
          },
          sourceIdOf,
        ),
    ),
    phase(
      "products",
      (
        after,
      ) => sql`select p.id::text as id, p.type, c.slug as category_slug, p.status, p.visibility, p.owner_id::text as owner_id, u.type as owner_type,
          p.name, p.slug, p.description, p.age, p.deposit, p.currency, p.preferred_loan_duration, p.duration, ${wallClock(sql`p.created_at`)} as created_at
        from product p join category c on c.id = p.category_id join "user" u on u.id = p.owner_id
        where ${after("p")} order by p.id limit ${batchSize}`,
      async (rows) => {
        const paths = await ownerPaths(rows.map((r) => memberId(r.owner_type, String(r.owner_id))));
        return mapEach("products", rows, (row) => {
          const ownerId = memberId(row.owner_type, String(row.owner_id));
          const path = paths.get(ownerId);
          if (!path) throw new MalformedRecord("its owner was not imported");
          const type = upperEnum(row.type, PRODUCT_TYPES, "type");
          const object = type === "OBJECT";
          const id = String(row.id);
          return {
            sourceId: id,
            row: {
              id: `ebs-${instance}-${id}`,
              instanceSlug: instance,
              ownerId,
              type,
              categoryId: requiredString(row, "category_slug"),
              status: upperEnum(row.status, PRODUCT_STATUSES, "status"),
              visibility: upperEnum(row.visibility, VISIBILITIES, "visibility"),
              name: requiredString(row, "name"),
              slug: requiredString(row, "slug"),
              description: optionalString(row, "description") ?? "",
              age: object ? optionalString(row, "age") : null,
              depositCents: object ? optionalInteger(row, "deposit", [0, 100_000_000]) : null,
              currency: object && row.deposit !== null ? optionalString(row, "currency") : null,
              preferredLoanDays: object
                ? loanDays(optionalString(row, "preferred_loan_duration"))
                : null,
              durationMinutes: object ? null : durationMinutes(optionalString(row, "duration")),
              territoryPath: path,
              createdAt: parisTime(requiredString(row, "created_at")),
              source,
              sourceId: id,
            },
          };
        });
      },
    ),
    phase(
      "loans",
      (
        after,
      ) => sql`select s.id::text as id, s.product_id::text as product_id, s.owner_id::text as owner_id, o.type as owner_type,
          s.recipient_id::text as recipient_id, r.type as recipient_type, s.status, s.start_at::date::text as start_date, s.end_at::date::text as end_date,
          ${wallClock(sql`s.created_at`)} as created_at, ${wallClock(sql`s.updated_at`)} as updated_at
        from service_request s join "user" o on o.id = s.owner_id join "user" r on r.id = s.recipient_id
        where ${after("s")} order by s.id limit ${batchSize}`,
      async (rows) =>
        mapEach("loans", rows, (row) => {
          const id = String(row.id);
          return {
            sourceId: id,
            row: {
              id: `ebs-${instance}-${id}`,
              productId: `ebs-${instance}-${String(row.product_id)}`,
              lenderId: memberId(row.owner_type, String(row.owner_id)),
              borrowerId: memberId(row.recipient_type, String(row.recipient_id)),
              startDate: requiredString(row, "start_date"),
              endDate: requiredString(row, "end_date"),
              status: upperEnum(row.status, LOAN_STATUSES, "status"),
              createdAt: parisTime(requiredString(row, "created_at")),
              updatedAt: parisTime(requiredString(row, "updated_at")),
              source,
              sourceId: id,
            },
          };
        }),
    ),
  ];

  return runImport(db, {
    connector: "ebs",
    target: instance,
    phases,
    withdraw: async (seen) => async (tx, report) => {
      for (const entity of ["loans", "products", "members"] as const) {
        const table = IMPORTED[entity];
        await withdrawMissing(
          tx,
          table,
          eq(table.source, source),
          seen[entity] ?? [],
          entity,
          report,
        );
      }
    },
    progress,
    maxRejectedShare: options.maxRejectedShare,
  });
}

function parisTime(text: string): Date {
  const instant = DateTime.fromISO(text, { zone: HUB_TIME_ZONE });
  if (!instant.isValid) throw new MalformedRecord(`"${text}" is not a date-time`);
  return instant.toJSDate();
}

async function ensureInstance(db: Database, { instance, register }: EbsOptions) {
  const [known] = await db.select().from(instances).where(eq(instances.slug, instance));
  if (known) return known;
  if (!register)
    throw new Error(
      `Unknown EBS instance "${instance}": give the territory it serves (--territory KIND:CODE) to register it.`,
    );
  territoryPath(register.territoryId); // throws on an unknown territory
  const [created] = await db
    .insert(instances)
    .values({
      slug: instance,
      name: register.name ?? `EBS ${instance}`,
      baseUrl: null,
      territoryId: register.territoryId,
      platformSlug: null,
      servicesEnabled: true,
      source: "ebs",
      sourceId: instance,
    })
    .returning();
  return created!;
}
