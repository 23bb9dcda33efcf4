import { buildSchema, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { affects, hasCoordinate, overridesFields, schemaChanges } from "./changes.js";

const BEFORE = `type Query { territory(id: ID!): Territory }
type Territory { id: ID! name: String! offers(first: Int): [Offer!]! }
type Offer { id: ID! seats: Int! kind: Kind! }
enum Kind { DAILY ONCE }`;

describe("schema changes", () => {
  it("classifies additions as safe, removals as breaking, with the coordinate they touch", async () => {
    const added = await schemaChanges(
      BEFORE,
      BEFORE.replace("seats: Int!", "seats: Int! price: Int"),
    );
    expect(added).toEqual([expect.objectContaining({ criticality: "SAFE", path: "Offer.price" })]);
    const removed = await schemaChanges(BEFORE, BEFORE.replace("seats: Int!", ""));
    expect(removed).toEqual([
      expect.objectContaining({
        criticality: "BREAKING",
        type: "FIELD_REMOVED",
        path: "Offer.seats",
      }),
    ]);
    const enumValue = await schemaChanges(
      BEFORE,
      BEFORE.replace("enum Kind { DAILY ONCE }", "enum Kind { DAILY ONCE WEEKLY }"),
    );
    expect(enumValue).toEqual([
      expect.objectContaining({ criticality: "DANGEROUS", path: "Kind.WEEKLY" }),
    ]);
  });

  it("tells which recorded operations a change touches", () => {
    const readsSeats = new Set([
      "Query.territory",
      "Query.territory.id",
      "Territory.offers",
      "Offer.seats",
    ]);
    const readsKind = new Set(["Query.territory", "Territory.offers", "Offer.kind", "Kind"]);
    const change = (path: string) => ({
      criticality: "BREAKING" as const,
      type: "X",
      message: "",
      path,
    });
    expect(affects(change("Offer.seats"), readsSeats)).toBe(true);
    expect(affects(change("Offer.seats"), readsKind)).toBe(false);
    expect(affects(change("Offer"), readsKind)).toBe(true);
    expect(affects(change("Kind.ONCE"), readsKind)).toBe(true);
    expect(affects(change("Territory.offers.first"), readsSeats)).toBe(true);
    expect(affects(change("Territory.name"), readsSeats)).toBe(false);
  });
});

describe("what the hub serves", () => {
  it("knows the coordinates of a schema", () => {
    const schema = buildSchema(BEFORE);
    for (const path of ["Territory", "Territory.offers", "Territory.offers.first", "Kind.ONCE"])
      expect(hasCoordinate(schema, path), path).toBe(true);
    for (const path of [
      "Car",
      "Territory.cars",
      "Territory.offers.last",
      "Kind.WEEKLY",
      "Offer.seats.x",
    ])
      expect(hasCoordinate(schema, path), path).toBe(false);
  });

  it("finds @override under its own name, its federation__ name, or the one @link gives it", () => {
    const link = (imports: string) =>
      `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: [${imports}])\n`;
    expect(
      overridesFields(parse(`${link('"@key"')}type T @key(fields: "id") { id: ID! name: String }`)),
    ).toBe(false);
    expect(
      overridesFields(
        parse(`${link('"@override"')}type T { name: String @override(from: "directory") }`),
      ),
    ).toBe(true);
    expect(
      overridesFields(
        parse(`${link('"@key"')}type T { name: String @federation__override(from: "directory") }`),
      ),
    ).toBe(true);
    expect(
      overridesFields(
        parse(
          `${link('{ name: "@override", as: "@reprendre" }')}type T { name: String @reprendre(from: "directory") }`,
        ),
      ),
    ).toBe(true);
  });
});
