import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { AppDocuments } from "./apps.js";

const BODY = "query PortailCommune($id: ID!) { territory(id: $id) { name } }";

describe("the documents of active app deployments", () => {
  it("are found by hash, and by text whatever its layout, with their app", () => {
    const documents = new AppDocuments();
    expect(documents.appOf(parse(BODY))).toBeUndefined();
    documents.replace([{ hash: "h1", body: BODY, name: "portail-mel", version: "1.0.0" }], "1:1:0");
    expect(documents.get("h1")).toBe(BODY);
    expect(documents.get("h2")).toBeUndefined();
    expect(documents.appOf(parse(BODY.replaceAll(" { ", " {\n  ")))).toEqual({
      name: "portail-mel",
      version: "1.0.0",
    });
    expect(documents.appOf(parse('query Autre { territory(id: "COM:59350") { name } }'))).toBe(
      undefined,
    );
  });

  it("name the latest deployment holding a document, and forget a retired one, even for a document seen before", () => {
    const documents = new AppDocuments();
    const document = parse(BODY);
    documents.replace(
      [
        { hash: "h1", body: BODY, name: "portail-mel", version: "1.0.0" },
        { hash: "h1", body: BODY, name: "portail-mel", version: "1.1.0" },
      ],
      "2:2:0",
    );
    expect(documents.appOf(document)?.version).toBe("1.1.0");
    documents.replace([], "2:2:2");
    expect(documents.appOf(document)).toBeUndefined();
    expect(documents.get("h1")).toBeUndefined();
    expect(documents.fingerprint).toBe("2:2:2");
  });
});
