import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  PlatformFactsDocument,
  PlatformsDocument,
  PlatformsNearbyDocument,
  SearchTerritoriesDocument,
  TerritoryMembersDocument,
  TerritoryPageDocument,
} from "../operations/generated/graphql.js";
import { request, serviceHeaders, startTestHub, type TestHub, tablesRead } from "./harness.js";

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub?.close());

describe("territories through the gateway", () => {
  it("answers Lomme with its parent commune, département and région", async () => {
    const { data, errors } = await hub.query(TerritoryPageDocument, { id: "COMA:59355" });
    expect(errors).toBeUndefined();
    expect(data?.territory).toMatchObject({
      name: "Lomme",
      kind: "COMMUNE_ASSOCIEE",
      parent: { id: "COM:59350", name: "Lille" },
      epci: { id: "EPCI:200093201", name: "Métropole Européenne de Lille" },
      departement: { code: "59" },
      region: { name: "Hauts-de-France" },
    });
  });

  it("counts the 95 communes of the Métropole Européenne de Lille and pages through them", async () => {
    const first = await hub.query(TerritoryMembersDocument, { id: "EPCI:200093201", first: 200 });
    expect(first.data?.territory?.members.totalCount).toBe(95);
    expect(first.data?.territory?.members.nodes).toHaveLength(95);

    const page1 = await hub.query(TerritoryMembersDocument, { id: "EPCI:200093201", first: 60 });
    const page2 = await hub.query(TerritoryMembersDocument, {
      id: "EPCI:200093201",
      first: 60,
      after: page1.data?.territory?.members.pageInfo.endCursor,
    });
    expect(page1.data?.territory?.members.pageInfo.hasNextPage).toBe(true);
    expect(page2.data?.territory?.members.nodes).toHaveLength(35);
    expect(page2.data?.territory?.members.pageInfo.hasNextPage).toBe(false);
    const ids = [
      ...page1.data!.territory!.members.nodes,
      ...page2.data!.territory!.members.nodes,
    ].map((n) => n.id);
    expect(new Set(ids).size).toBe(95);
    expect(ids).toContain("COM:59350");
  });

  it("lists the associated communes of Lille as its members", async () => {
    const { data } = await hub.query(TerritoryMembersDocument, { id: "COM:59350", first: 10 });
    expect(data?.territory?.members.nodes.map((n) => n.id).sort()).toEqual([
      "COMA:59298",
      "COMA:59355",
    ]);
  });

  it.each([
    ["henin", "COM:62427"], // Hénin-Beaumont: accents do not matter
    ["HELLEMMES", "COMA:59298"], // case does not matter
    ["beaumont", "COM:62427"], // a word inside a hyphenated name
    ["lil", "COM:59350"], // a prefix: the most populated first
  ])("finds %s", async (search, expected) => {
    const { data, errors } = await hub.query(SearchTerritoriesDocument, { search, first: 100 });
    expect(errors).toBeUndefined();
    const ids = data!.territories.edges.map((e) => e.node.id);
    expect(ids).toContain(expected);
    if (search === "lil") expect(ids[0]).toBe("COM:59350");
  });

  it("filters by kind and by postal code", async () => {
    const byKind = await hub.query(SearchTerritoriesDocument, {
      search: "nord",
      kind: "DEPARTEMENT",
    });
    expect(byKind.data?.territories.edges.map((e) => e.node.id)).toEqual(["DEP:59"]);
    // 59260 is shared by Lezennes and Lille: a postal code alone is not a commune.
    const byPostalCode = await hub.query(SearchTerritoriesDocument, { postalCode: "59260" });
    expect(byPostalCode.data?.territories.edges.map((e) => e.node.id).sort()).toEqual([
      "COM:59346",
      "COM:59350",
    ]);
  });

  it("answers null for an unknown territory", async () => {
    const { data, errors } = await hub.query(TerritoryPageDocument, { id: "COM:99999" });
    expect(errors).toBeUndefined();
    expect(data?.territory).toBeNull();
  });

  it.each([
    ["a malformed id", TerritoryPageDocument, { id: "Lille" }],
    ["a page over the maximum", SearchTerritoriesDocument, { search: "lille", first: 101 }],
    ["a negative page", SearchTerritoriesDocument, { first: -1 }],
    ["a forged cursor", SearchTerritoriesDocument, { after: "bm90LWEtY3Vyc29y" }],
    ["an empty search", SearchTerritoriesDocument, { search: " - " }],
    ["a malformed postal code", SearchTerritoriesDocument, { postalCode: "59 000" }],
  ] as const)("refuses %s with BAD_USER_INPUT", async (_, document, variables) => {
    const { errors } = await hub.query(document as never, variables);
    expect(errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(JSON.stringify(errors)).not.toMatch(/select |at .*\.ts|127\.0\.0\.1/i);
  });

  it("resolves many territories as entities with one SQL statement", async () => {
    const directory = hub.subgraphs.get("directory")!;
    const ids = [
      "COM:59350",
      "COMA:59355",
      "COMA:59298",
      "EPCI:200093201",
      "DEP:59",
      "REG:32",
      "COM:62907",
    ];
    const before = hub.database.statements.count;
    const { data } = await request<{ _entities: { id: string; name: string }[] }, unknown>(
      directory.url,
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Territory { id name } } }`,
      { representations: ids.map((id) => ({ __typename: "Territory", id })) },
      await serviceHeaders(),
    );
    expect(hub.database.statements.count - before).toBe(1);
    expect(data?._entities.map((t) => t.id)).toEqual(ids);
  });

  it("batches the parents of a whole page into one statement", async () => {
    const before = hub.database.statements.count;
    const { data } = await hub.query(
      `{ territories(kind: COMMUNE_ASSOCIEE, first: 50) { nodes { parent { name } region { name } } } }`,
    );
    // The page with its count, then one statement for every parent and région of the page.
    expect(hub.database.statements.count - before).toBe(2);
    expect((data as { territories: { nodes: unknown[] } }).territories.nodes).toHaveLength(50);
  });
});

describe("platforms through the gateway", () => {
  it("lists on Lomme's page the platforms serving Lomme, Lille, the MEL or the région", async () => {
    const { data } = await hub.query(PlatformsNearbyDocument, {
      territoryId: "COMA:59355",
      first: 100,
    });
    const slugs = data!.territory!.platforms.nodes.map((p) => p.slug);
    expect(slugs).toEqual(
      expect.arrayContaining(["tipimi", "conciergerie-solidaire", "rustine-libre"]),
    );
    expect(slugs).not.toContain("beefast"); // Amiens
  });

  it("filters by theme, territory and search, and keeps provenance", async () => {
    const { data } = await hub.query(PlatformsDocument, {
      theme: "reparer",
      territoryId: "COM:59350",
    });
    expect(data?.platforms.nodes.map((p) => p.slug).sort()).toEqual(["la-bici", "rustine-libre"]);
    const rustine = data?.platforms.nodes.find((p) => p.slug === "rustine-libre");
    expect(rustine?.software).toMatchObject({ slug: "rustine-libre", licence: "AGPL-3.0" });
    const search = await hub.query(PlatformsDocument, { search: "epicerie" });
    expect(search.data?.platforms.nodes.map((p) => p.slug).sort()).toEqual([
      "epicerie-cooperative-arrageoise",
      "label-epicerie",
    ]);
    const mobicoop = await hub.query(PlatformsDocument, { search: "mobicoop" });
    expect(mobicoop.data?.platforms.nodes[0]?.source).toBe("placeholder");
  });

  it("reads a platform's themes, software, operator and territories only when asked, then in the platform's statement", async () => {
    const everything = ["organizations", "platform_territories", "platform_themes", "software"];
    const read = (query: string, variables?: unknown) =>
      tablesRead(hub, "directory", query, everything, variables);
    const fields = "name themes { slug } software { licence } operator { name } territories { id }";

    expect(await read(`{ platform(slug: "coopcircuits") { name } }`)).toEqual([
      { platform: { name: "CoopCircuits" } },
      [],
    ]);
    const [asked, tables] = await read(`{ platform(slug: "coopcircuits") { ${fields} } }`);
    expect(tables).toEqual(everything);
    expect(asked).toMatchObject({
      platform: {
        themes: [{ slug: "se-nourrir" }],
        software: { licence: "AGPL-3.0" },
        operator: { name: "CoopCircuits" },
        territories: [{ id: "REG:32" }],
      },
    });

    // As an entity, from another subgraph's plan: the same.
    const entities = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Platform { FIELDS } } }`;
    const representations = ["coopcircuits", "la-bici"].map((slug) => ({
      __typename: "Platform",
      slug,
    }));
    expect((await read(entities.replace("FIELDS", "name"), { representations }))[1]).toEqual([]);
    const [entityData, entityRead] = await read(entities.replace("FIELDS", fields), {
      representations,
    });
    expect(entityRead).toEqual(everything);
    expect(entityData).toMatchObject({
      _entities: [
        { software: { licence: "AGPL-3.0" } },
        { software: null, operator: null, territories: [{ id: expect.any(String) }] },
      ],
    });
  });
});

describe("the directory's public facts", () => {
  const LOMME = readFileSync("gateway/playground/operations/1-pres-de-chez-moi.graphql", "utf8");
  type Sourced = { facts: { field: string; sourceUrl: string }[] };
  type Near = Sourced & { name: string; url: string | null };
  /** The fields of `record` that have a value and no fact naming the page it comes from. */
  const unsourced = (record: Sourced, fields: Record<string, unknown>) =>
    Object.entries(fields)
      .filter(([, value]) => value != null)
      .map(([field]) => field)
      .filter(
        (field) => !record.facts.some((f) => f.field === field && /^https?:\/\//.test(f.sourceUrl)),
      );

  it("answers Lomme's « près de chez moi » with a URL for most platforms, each with its source", async () => {
    const { data, errors } = await hub.query<
      { territory: { platforms: { totalCount: number; nodes: Near[] } } },
      never
    >(LOMME);
    expect(errors).toBeUndefined();
    const { nodes, totalCount } = data!.territory.platforms;
    expect(nodes).toHaveLength(totalCount);
    expect(nodes.filter((p) => p.url).length).toBeGreaterThan(nodes.length / 2);
    for (const platform of nodes)
      expect(unsourced(platform, { url: platform.url }), platform.name).toEqual([]);
    expect(nodes.find((p) => p.name === "CoopCircuits")?.url).toBe(
      "https://apropos.coopcircuits.fr",
    );
  });

  it("sources a platform's software and operator, and their licence and legal form", async () => {
    const { data } = await hub.query(PlatformFactsDocument, { slug: "coopcircuits" });
    const { software, operator, ...platform } = data!.platform!;
    expect(unsourced({ ...platform, facts: platform.facts }, { software, operator })).toEqual([]);
    expect(software).toMatchObject({ slug: "open-food-network", licence: "AGPL-3.0" });
    expect(
      unsourced(software!, { licence: software!.licence, repository: software!.repository }),
    ).toEqual([]);
    expect(operator).toMatchObject({ name: "CoopCircuits", legalForm: "SCIC", siren: null });
    expect(unsourced(operator!, { legalForm: operator!.legalForm })).toEqual([]);
  });

  it("shares one software between the platforms that run it, with its licence and repository", async () => {
    const { data } = await hub.query(PlatformFactsDocument, { slug: "lille-bike" });
    const platform = data!.platform!;
    expect(platform.software).toMatchObject({
      slug: "coopcycle",
      repository: "https://github.com/coopcycle/coopcycle-web",
      platforms: [{ slug: "coopcycle" }, { slug: "lille-bike" }],
    });
    const coopcycle = await hub.query(PlatformFactsDocument, { slug: "coopcycle" });
    expect(coopcycle.data?.platform?.software?.slug).toBe("coopcycle");
    expect(platform).toMatchObject({
      url: "https://lille.bike",
      foundedIn: 2015,
      operator: { name: "Lille Bike", legalForm: "SCOP", siren: null },
    });
    expect(platform.facts.find((f) => f.field === "territories")).toMatchObject({
      value: "COM:59350",
      retrievedOn: "2026-12-02",
    });
  });

  it("leaves null what no public page states, with no fact for it", async () => {
    const { data } = await hub.query(PlatformFactsDocument, { slug: "conciergerie-solidaire" });
    expect(data?.platform).toMatchObject({
      url: null,
      contactUrl: null,
      foundedIn: null,
      software: null,
      operator: null,
      facts: [],
    });
  });
});
