import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ApolloServer } from "@apollo/server";
import { parse } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ANONYMOUS, type Identity } from "../lib/identity.js";
import {
  isTrusted,
  loadTrustedDocuments,
  persistedQueryStore,
  readTrustedDocumentsOptions,
  type TrustedDocuments,
  trustedDocumentsPlugin,
} from "./trusted-documents.js";

const PORTAL = "query Portail { territory { name kind } }";
let documents: TrustedDocuments;
beforeAll(() => {
  const file = join(mkdtempSync(join(tmpdir(), "trusted-")), "persisted-documents.json");
  writeFileSync(file, JSON.stringify({ "sha256:abc123": PORTAL }));
  documents = loadTrustedDocuments(file);
});

describe("reading the settings", () => {
  it("is off unless TRUSTED_DOCUMENTS says anonymous, and refuses anything else", () => {
    expect(readTrustedDocumentsOptions({})).toEqual({
      mode: "off",
      file: "operations/generated/persisted-documents.json",
    });
    expect(readTrustedDocumentsOptions({ TRUSTED_DOCUMENTS: "anonymous" }).mode).toBe("anonymous");
    expect(() => readTrustedDocumentsOptions({ TRUSTED_DOCUMENTS: "all" })).toThrow(
      /TRUSTED_DOCUMENTS/,
    );
  });
});

describe("trusted documents", () => {
  it("are known by their hash, and in full whatever their layout", () => {
    expect(documents.byHash.get("abc123")).toBe(PORTAL);
    expect(
      isTrusted(documents, parse("query Portail {\n  territory {\n    name\n    kind\n  }\n}")),
    ).toBe(true);
    expect(isTrusted(documents, parse("query Portail { territory { name } }"))).toBe(false);
  });

  it("answer persisted-query hashes; other queries are remembered only when new ones are accepted", async () => {
    const open = persistedQueryStore(documents, { acceptNew: true });
    const closed = persistedQueryStore(documents, { acceptNew: false });
    for (const store of [open, closed]) expect(await store.get("apq:abc123")).toBe(PORTAL);
    await open.set("apq:def456", "{ other }");
    await closed.set("apq:def456", "{ other }");
    expect(await open.get("apq:def456")).toBe("{ other }");
    expect(await closed.get("apq:def456")).toBeUndefined();
  });
});

describe("the plugin, for anonymous clients", () => {
  let server: ApolloServer<{ identity: Identity }>;
  beforeAll(async () => {
    server = new ApolloServer<{ identity: Identity }>({
      typeDefs: "type Query { territory: Territory } type Territory { name: String kind: String }",
      resolvers: { Query: { territory: () => ({ name: "Lomme", kind: "COMMUNE_ASSOCIEE" }) } },
      plugins: [trustedDocumentsPlugin(documents)],
    });
    await server.start();
  });
  afterAll(() => server?.stop());

  const run = async (query: string, identity: Identity) => {
    const response = await server.executeOperation({ query }, { contextValue: { identity } });
    if (response.body.kind !== "single") throw new Error("incremental answer");
    return { status: response.http.status, ...response.body.singleResult };
  };

  it("runs a trusted document", async () => {
    const { data, errors } = await run(PORTAL, ANONYMOUS);
    expect(errors).toBeUndefined();
    expect(data).toEqual({ territory: { name: "Lomme", kind: "COMMUNE_ASSOCIEE" } });
  });

  it("refuses any other operation with OPERATION_NOT_TRUSTED and 403, before running it", async () => {
    const { status, data, errors } = await run("{ territory { name } }", ANONYMOUS);
    expect(status).toBe(403);
    expect(data).toBeUndefined();
    expect(errors?.[0]?.extensions?.code).toBe("OPERATION_NOT_TRUSTED");
  });

  it("lets a caller with a key send any operation", async () => {
    const member: Identity = { role: "exchange_member", subject: "key-1", actsFor: null };
    const { errors, data } = await run("{ territory { name } }", member);
    expect(errors).toBeUndefined();
    expect(data).toEqual({ territory: { name: "Lomme" } });
  });
});
