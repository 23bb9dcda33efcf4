import { readFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../gateway/limits/config.js";
import { territoryPath } from "../lib/territories.js";
import { appointments, customers, repairers } from "../subgraphs/bookings/tables.js";
import { members, products } from "../subgraphs/exchanges/tables.js";
import { startTestHub, type TestHub } from "./harness.js";
import { apiSchema, stringsIn, walkQueries } from "./schema-walker.js";

/**
 * Personal data planted where the hub keeps data about people, so that a leak would show. An
 * EBS person is stored with only a chosen display name and a commune: the canary is written
 * where a careless importer or resolver would put a real name.
 */
const CANARIES = [
  "Jeanne Canari",
  "jeanne.canari@exemple.org",
  "06 12 34 56 78",
  "12 impasse des Canaris",
];
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b/i;
const PHONE = /(?:\+33\s?|0)[1-9](?:[\s.-]?\d{2}){4}/;

const SAMPLES = {
  first: 5,
  "Query.territory.id": "COMA:59355",
  "Query.territories.search": "lomme",
  "Query.platform.slug": "rustine-libre",
  "Query.collectivite.id": "lomme",
  "Query.engagement.id": "lomme-ebs-objets",
  "Query.exchangeInstance.slug": "lomme",
  "Query.product.id": "demo-product-01",
  "Query.repairer.slug": "demo-la-chambre-a-air",
  territoryId: "COMA:59355",
  from: "2026-01-01",
  to: "2026-12-31",
  days: 7,
};

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub({
    gateway: {
      limits: { ...DEFAULT_LIMITS, cost: Number.MAX_SAFE_INTEGER, depth: 20, tokens: 100_000 },
    },
  });
  await hub.database.db.insert(members).values({
    id: "canary-person",
    instanceSlug: "lomme",
    kind: "PERSON",
    displayName: "Voisine discrète",
    email: CANARIES[1]!,
    phone: CANARIES[2]!,
    street: CANARIES[3]!,
    postalCode: "59160",
    locality: "Lomme",
    territoryId: "COMA:59355",
    territoryPath: territoryPath("COMA:59355"),
    source: "test",
    sourceId: CANARIES[1]!,
  });
  // Listed, and first by name, so that every walk through products meets its owner.
  await hub.database.db.insert(products).values({
    id: "canary-product",
    instanceSlug: "lomme",
    ownerId: "canary-person",
    type: "OBJECT",
    categoryId: "livres",
    status: "ACTIVE",
    visibility: "PUBLIC",
    name: "Atlas des oiseaux",
    slug: "atlas-des-oiseaux",
    description: "Prêté par une voisine.",
    territoryPath: territoryPath("COMA:59355"),
    source: "test",
  });
  // A customer who left a contact when booking, with an appointment at a listed repairer.
  const [repairer] = await hub.database.db
    .select()
    .from(repairers)
    .where(eq(repairers.slug, SAMPLES["Query.repairer.slug"]));
  await hub.database.db
    .insert(customers)
    .values({ id: "canary-customer", name: CANARIES[0]!, phone: CANARIES[2]! });
  const now = new Date();
  await hub.database.db.insert(appointments).values({
    id: "00000000-0000-4000-8000-00000000c0a1",
    repairerId: repairer!.id,
    customerId: "canary-customer",
    slotTime: new Date(now.getTime() + 86_400_000),
    bikeTypeId: "velo-classique",
    comment: `Rappelez-moi au ${CANARIES[2]}`,
    status: "PENDING_REPAIRER",
    createdAt: now,
    updatedAt: now,
    source: "test",
  });
});
afterAll(() => hub?.close());

/** The roots that answer only a customer, repairer or member about its own: refused to the walkers below. */
const OWN_DATA_ROOTS = ["myAppointments", "myLoans"];

describe.each([
  { who: "anyone", role: null, refusedWith: "UNAUTHENTICATED" },
  { who: "an analyst", role: "analyst", refusedWith: "FORBIDDEN" },
] as const)("what $who can read", ({ role, refusedWith }) => {
  it("walks every field reachable and finds no personal data", async () => {
    const headers = role ? await hub.as(role) : {};
    const schema = apiSchema(readFileSync("schema/api.graphql", "utf8"));
    const { queries } = walkQueries(schema, SAMPLES, 4);
    expect(queries.size).toBeGreaterThanOrEqual(
      Object.keys(schema.getQueryType()!.getFields()).length - 2,
    );
    const answered: string[] = [];
    const refused: string[] = [];
    for (const [root, query] of queries) {
      const { data, errors } = await hub.query(query, undefined, headers);
      if (OWN_DATA_ROOTS.includes(root)) {
        expect(
          errors?.map((e) => e.extensions?.code),
          root,
        ).toEqual([refusedWith]);
        refused.push(root);
        continue;
      }
      expect(errors, `${root}: ${JSON.stringify(errors)}`).toBeUndefined();
      answered.push(root);
      for (const text of stringsIn(data)) {
        for (const canary of CANARIES)
          expect(text, `${root} answered a planted personal datum`).not.toContain(canary);
        expect(text, `${root} answered an e-mail address`).not.toMatch(EMAIL);
        expect(text, `${root} answered a phone number`).not.toMatch(PHONE);
      }
    }
    expect(answered).toEqual(
      expect.arrayContaining([
        "territory",
        "places",
        "products",
        "collectivite",
        "loanStats",
        "repairer",
      ]),
    );
    expect(refused.sort()).toEqual(OWN_DATA_ROOTS);
  });
});
