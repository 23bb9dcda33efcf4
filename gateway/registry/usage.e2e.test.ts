import { eq, sql } from "drizzle-orm";
import { buildSchema, parse } from "graphql";
import { describe, expect, it } from "vitest";
import type { Database } from "../../lib/database.js";
import { openTestDatabase } from "../../test/harness.js";
import { operations, operationUsage } from "./tables.js";
import { MAX_PENDING, OperationUsage, operationCoordinates, USAGE_KEPT_DAYS } from "./usage.js";

const schema = buildSchema(`
  type Query { territory(id: ID!): Territory territories(kind: Kind, filter: Filter): [Territory!]! }
  type Territory { id: ID! name: String! carpoolOffers(first: Int): [Offer!] }
  type Offer { seats: Int! to: String! }
  enum Kind { COMMUNE EPCI }
  input Filter { search: String }
`);

describe("operation coordinates", () => {
  it("lists the fields, arguments, enums and input types an operation reads, through fragments and variables", () => {
    const document = parse(`
      query Covoiturage($kind: Kind, $filter: Filter) {
        territory(id: "COM:59350") { ...Offers }
        territories(kind: $kind, filter: $filter) { name }
      }
      fragment Offers on Territory { carpoolOffers(first: 2) { seats } }
    `);
    expect(operationCoordinates(schema, document)).toEqual([
      "Filter",
      "Kind",
      "Offer.seats",
      "Query.territories",
      "Query.territories.filter",
      "Query.territories.kind",
      "Query.territory",
      "Query.territory.id",
      "Territory.carpoolOffers",
      "Territory.carpoolOffers.first",
      "Territory.name",
    ]);
  });
});

describe("operation signatures", () => {
  it("are the same for every copy of a text, layout aside, and differ by operation name", () => {
    const usage = new OperationUsage({} as Database);
    const text = `query A { territory(id: "COM:59350") { name } } query B { territory(id: "COM:59350") { id } }`;
    const document = parse(text);
    const a = usage.signature(document, "A");
    // Asked again of the same document (from the cache), of another parse, of another layout.
    expect(usage.signature(document, "A")).toBe(a);
    expect(usage.signature(parse(text), "A")).toBe(a);
    expect(usage.signature(parse(text.replaceAll(" { ", "{\n  ")), "A")).toBe(a);
    expect(usage.signature(document, "B")).not.toBe(a);
    expect(usage.signature(document, null)).not.toBe(a);
    expect(usage.signature(parse(`query A { territory(id: "COM:59350") { id } }`), "A")).not.toBe(
      a,
    );
  });
});

describe("operation usage writes", () => {
  it("keeps what a failed write held for the next one, up to its bound", async () => {
    const database = await openTestDatabase();
    try {
      const usage = new OperationUsage(database.db);
      const document = parse(`query Failover { territory(id: "COM:59350") { name } }`);
      const signature = usage.signature(document, "Failover")!;
      usage.record(schema, document, "Failover");
      usage.record(schema, document, "Failover");
      // The table out of reach: the write fails, as with a database down.
      await database.db.execute(sql`alter table registry.operations rename to operations_away`);
      await expect(usage.flush()).rejects.toThrow();
      usage.record(schema, document, "Failover");
      // Many other operations while it is down: held up to the bound, no further.
      for (let i = 0; i < MAX_PENDING + 10; i++)
        usage.record(
          schema,
          parse(`query Other${i} { territory(id: "COM:59350") { id } }`),
          `Other${i}`,
        );
      await expect(usage.flush()).rejects.toThrow();
      await database.db.execute(sql`alter table registry.operations_away rename to operations`);
      await usage.flush();
      const [row] = await database.db
        .select()
        .from(operations)
        .where(eq(operations.signature, signature));
      expect(row).toMatchObject({ name: "Failover", count: 3 });
      expect(await database.db.$count(operations)).toBeLessThanOrEqual(MAX_PENDING);
    } finally {
      await database.close();
    }
  });
});

describe("usage per client", () => {
  it("is counted per day and client in the same write, and deleted past the days kept", async () => {
    const database = await openTestDatabase();
    try {
      const usage = new OperationUsage(database.db);
      const document = parse(`query ParClient { territory(id: "COM:59350") { name } }`);
      const signature = usage.signature(document, "ParClient")!;
      usage.record(schema, document, "ParClient", { name: "portail", version: "2" });
      usage.record(schema, document, "ParClient", { name: "portail", version: "2" });
      usage.record(schema, document, "ParClient");
      await usage.flush();
      const rows = await database.db
        .select({
          clientName: operationUsage.clientName,
          clientVersion: operationUsage.clientVersion,
          count: operationUsage.count,
        })
        .from(operationUsage)
        .where(eq(operationUsage.signature, signature))
        .orderBy(operationUsage.clientName);
      expect(rows).toEqual([
        { clientName: "", clientVersion: "", count: 1 },
        { clientName: "portail", clientVersion: "2", count: 2 },
      ]);
      const later = new Date(Date.now() + (USAGE_KEPT_DAYS + 1) * 86_400_000);
      await usage.prune(new Date());
      expect(
        await database.db.$count(operationUsage, eq(operationUsage.signature, signature)),
      ).toBe(2);
      await usage.prune(later);
      expect(
        await database.db.$count(operationUsage, eq(operationUsage.signature, signature)),
      ).toBe(0);
    } finally {
      await database.close();
    }
  });
});
