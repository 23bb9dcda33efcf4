import { createHash } from "node:crypto";
import { print } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TerritoryPageDocument } from "../operations/generated/graphql.js";
import { request, startTestHub, type TestHub } from "./harness.js";

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub({
    gateway: {
      trustedDocuments: {
        mode: "anonymous",
        file: "operations/generated/persisted-documents.json",
      },
    },
  });
});
afterAll(() => hub?.close());

const UNREGISTERED = `{ territories(search: "lille", first: 3) { nodes { id } } }`;

async function byHash(query: string, headers: Record<string, string> = {}) {
  const sha256Hash = createHash("sha256").update(query).digest("hex");
  const response = await fetch(`${hub.gatewayUrl}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({
      variables: { id: "COMA:59355" },
      extensions: { persistedQuery: { version: 1, sha256Hash } },
    }),
  });
  return (await response.json()) as {
    data?: { territory?: { name: string } };
    errors?: { extensions?: { code?: string } }[];
  };
}

describe("trusted documents for anonymous clients", () => {
  it("answers a portal operation sent in full, whatever its spacing", async () => {
    const { data, errors } = await hub.query(TerritoryPageDocument, { id: "COMA:59355" });
    expect(errors).toBeUndefined();
    expect(data?.territory?.name).toBe("Lomme");
  });

  it("answers a portal operation sent by its hash alone", async () => {
    const manifest = (
      await import("../operations/generated/persisted-documents.json", { with: { type: "json" } })
    ).default as Record<string, string>;
    const document = Object.values(manifest).find((text) =>
      text.startsWith("query TerritoryPage("),
    )!;
    expect((await byHash(document)).data?.territory?.name).toBe("Lomme");
  });

  it("refuses any other operation from an anonymous client, and lets it register nothing", async () => {
    const { errors } = await hub.query(UNREGISTERED);
    expect(errors?.[0]?.extensions?.code).toBe("OPERATION_NOT_TRUSTED");
    const unknownHash = await byHash(`query Other { territory(id: "COM:59350") { name } }`);
    expect(unknownHash.errors?.[0]?.extensions?.code).toBe("PERSISTED_QUERY_NOT_FOUND");
  });

  it("lets an analyst's key send any query", async () => {
    const { data, errors } = await request(
      hub.gateway.url,
      UNREGISTERED,
      undefined,
      await hub.as("analyst"),
    );
    expect(errors).toBeUndefined();
    expect((data as { territories: { nodes: unknown[] } }).territories.nodes).toHaveLength(3);
    expect(print(TerritoryPageDocument)).toContain("TerritoryPage");
  });
});
