import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../gateway/limits/config.js";
import { members, products } from "../subgraphs/exchanges/tables.js";
import { territoryPath } from "../lib/territories.js";
import { startTestHub, type TestHub } from "./harness.js";
import { apiSchema, stringsIn, walkQueries } from "./schema-walker.js";

/**
 * Personal data planted where the hub keeps data about people, so that a leak would show. An
 * EBS person is stored with only a chosen display name and a commune: the canary is written
 * where a careless importer or resolver would put a real name.
 */
const CANARIES = ["Jeanne Canari", "jeanne.canari@exemple.org", "06 12 34 56 78", "12 impasse des Canaris"];
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
  hub = await startTestHub({ gateway: { limits: { ...DEFAULT_LIMITS, cost: Number.MAX_SAFE_INTEGER, depth: 20, tokens: 100_000 } } });
  await hub.database.db.insert(members).values({
    id: "canary-person",
    instanceSlug: "lomme",
    kind: "PERSON",
    displayName: "Voisine discrète",
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
});
afterAll(() => hub?.close());

describe("what anyone can read", () => {
  it("walks every field reachable without credentials and finds no personal data", async () => {
    const schema = apiSchema(readFileSync("schema/api.graphql", "utf8"));
    const { queries } = walkQueries(schema, SAMPLES, 4);
    expect(queries.size).toBeGreaterThanOrEqual(Object.keys(schema.getQueryType()!.getFields()).length - 2);
    const answered: string[] = [];
    for (const [root, query] of queries) {
      const { data, errors } = await hub.query(query);
      expect(errors, `${root}: ${JSON.stringify(errors)}`).toBeUndefined();
      answered.push(root);
      for (const text of stringsIn(data)) {
        for (const canary of CANARIES) expect(text, `${root} answered a planted personal datum`).not.toContain(canary);
        expect(text, `${root} answered an e-mail address`).not.toMatch(EMAIL);
        expect(text, `${root} answered a phone number`).not.toMatch(PHONE);
      }
    }
    expect(answered).toEqual(expect.arrayContaining(["territory", "places", "products", "collectivite", "loanStats"]));
  });
});
