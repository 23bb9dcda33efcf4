import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { carpoolSdl, chainedSdl, chainedTypes } from "../../test/partner.js";
import { schemaShape, shapeRefusal, typeCountRefusal, typesAtLeast } from "./shape.js";

describe("the shape of a published schema", () => {
  it("counts its types and its longest chain of nested types, a cycle once", () => {
    expect(schemaShape(parse(chainedTypes(30_000)))).toEqual({ types: 30_000, depth: 30_000 });
    expect(
      schemaShape(parse("type A { b: B c: C } type B { a: A } type C { id: ID } scalar D")),
    ).toEqual({ types: 4, depth: 2 });
  });

  it("is refused with SCHEMA_TOO_COMPLEX past its bounds", () => {
    const refusal = (sdl: string) => shapeRefusal(parse(sdl), { maxTypes: 10, maxDepth: 5 })?.code;
    expect(refusal(chainedTypes(5))).toBeUndefined();
    expect(refusal(chainedTypes(6))).toBe("SCHEMA_TOO_COMPLEX");
    expect(refusal(Array.from({ length: 11 }, (_, i) => `scalar S${i}`).join("\n"))).toBe(
      "SCHEMA_TOO_COMPLEX",
    );
  });
});

describe("the types counted from an SDL's tokens", () => {
  it("are those its syntax tree holds, extensions included, directives and the schema aside", () => {
    for (const sdl of [
      carpoolSdl(),
      chainedTypes(50),
      `"""Une description""" type A implements B & C @key(fields: "id") { id: ID! type: String }
       interface B { id: ID! } interface C { id: ID! }
       union U @tag(name: "x") = | A | D enum E { type union } input I { on: E = type }
       scalar S directive @d(type: String = "type") repeatable on FIELD | OBJECT
       extend type A { more: [U!] } extend union U = D schema { query: Q } type Q { a: A } type D`,
    ])
      expect(typesAtLeast(sdl, Number.POSITIVE_INFINITY)).toBe(schemaShape(parse(sdl)).types);
  });

  it("never count a type's name as a keyword, even named after one", () => {
    const sdl = `scalar type union U = type | input input input { a: ID } enum enum { A }
      interface interface { a: ID } type T implements interface { a: ID }`;
    expect(schemaShape(parse(sdl)).types).toBe(6);
    expect(typesAtLeast(sdl, Number.POSITIVE_INFINITY)).toBeLessThanOrEqual(6);
  });

  it("stop once past the limit: the hostile megabyte is refused with SCHEMA_TOO_COMPLEX", () => {
    expect(typesAtLeast(chainedSdl(), 1000)).toBe(1001);
    const bounds = { maxTypes: 1000, maxDepth: 100 };
    expect(typeCountRefusal(chainedSdl(), bounds)?.code).toBe("SCHEMA_TOO_COMPLEX");
    expect(typeCountRefusal(carpoolSdl(), bounds)).toBeNull();
  });

  it("stop at a syntax error, left for the parser to report", () => {
    expect(typesAtLeast("type A { a: ID } type B ^ type C", 10)).toBe(2);
  });
});
