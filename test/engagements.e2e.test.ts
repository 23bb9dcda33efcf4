import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AddIndicatorMeasurementDocument,
  ChallengeIndicatorsDocument,
  ChangeEngagementStatusDocument,
  CollectivitePageDocument,
  EngagementHistoryDocument,
  type EngagementStatus,
  EngagementSummaryDocument,
  PlatformSupportDocument,
  RecordEngagementDocument,
  TerritoryEngagementsDocument,
} from "../operations/generated/graphql.js";
import { engagementChanges, engagements, measurements } from "../subgraphs/engagements/tables.js";
import { ENGAGEMENT_TRANSITIONS } from "../subgraphs/engagements/workflow.js";
import { startTestHub, type TestHub } from "./harness.js";

let hub: TestHub;
/** Callers: agents of Lomme and of the MEL, by their API keys' headers. */
const agents: Record<string, Record<string, string>> = {};
const agent = async (collectivite: string, n = 1) =>
  (agents[`${collectivite}-${n}`] ??= await hub.as("collectivite_agent", {
    kind: "collectivite",
    id: collectivite,
  }));
/** The subject an agent's changes are recorded under: its API key's id. */
const subjectOf = (headers: Record<string, string>) =>
  `key:${headers.authorization!.split("_")[1]}`;

beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub?.close());

const rowCount = async (
  table: typeof engagements | typeof engagementChanges | typeof measurements,
) => (await hub.database.db.select({ n: count() }).from(table))[0]!.n;

async function newEngagement(status: EngagementStatus = "EXPLORING"): Promise<string> {
  const { data, errors } = await hub.query(
    RecordEngagementDocument,
    {
      input: {
        collectiviteId: "lomme",
        title: `Engagement de test ${Math.random()}`,
        platformSlugs: ["ebs"],
        status,
        theme: "echanger",
      },
    },
    await agent("lomme"),
  );
  expect(errors).toBeUndefined();
  return data!.recordEngagement.id;
}

describe("collectivités and engagements through the gateway", () => {
  it("shows on Lomme's page the collectivités of Lomme and of the MEL, with their engagements", async () => {
    const { data, errors } = await hub.query(TerritoryEngagementsDocument, { id: "COMA:59355" });
    expect(errors).toBeUndefined();
    expect(data?.territory?.collectivites.map((c) => c.id).sort()).toEqual(["lomme", "mel"]);
    const owners = new Set(data?.territory?.engagements.map((e) => e.collectivite.id));
    expect(owners).toEqual(new Set(["lomme", "mel"]));
    const ebs = data?.territory?.engagements.find((e) => e.platforms.some((p) => p.slug === "ebs"));
    expect(ebs).toMatchObject({
      status: "PLANNED",
      collectivite: { name: "Ville de Lomme" },
      platforms: [{ name: "EBS – Échanges de Biens et Services" }],
    });
  });

  it("answers Libercourt's SIREN, territory and EPCI across the directory", async () => {
    const { data } = await hub.query(CollectivitePageDocument, { id: "libercourt" });
    expect(data?.collectivite).toMatchObject({
      siren: "216209072",
      territory: { id: "COM:62907", epci: { name: "CA d'Hénin-Carvin" } },
    });
  });

  it("gives no SIREN to a commune associée, which has none of its own", async () => {
    const { data } = await hub.query(CollectivitePageDocument, { id: "hellemmes" });
    expect(data?.collectivite).toMatchObject({
      siren: null,
      kind: "COMMUNE_ASSOCIEE",
      territory: { id: "COMA:59298" },
    });
  });

  it("names a collectivité's official site with its source, and its population from the territory data", async () => {
    const { data } = await hub.query(CollectivitePageDocument, { id: "mel" });
    expect(data?.collectivite).toMatchObject({
      url: "https://www.lillemetropole.fr",
      facts: [
        {
          field: "url",
          value: "https://www.lillemetropole.fr",
          sourceUrl: "https://www.lillemetropole.fr/en/your-daily",
          retrievedOn: "2026-12-02",
        },
      ],
    });
    expect(data?.collectivite?.territory.population).toBeGreaterThan(1_000_000);
    // No public page found for Hellemmes' site: null, and no fact.
    const hellemmes = await hub.query(CollectivitePageDocument, { id: "hellemmes" });
    expect(hellemmes.data?.collectivite).toMatchObject({ url: null, facts: [] });
  });

  it("crosses the directory and engagements subgraphs from a platform", async () => {
    const { data } = await hub.query(PlatformSupportDocument, { slug: "coopcircuits" });
    expect(data?.platform).toEqual({
      name: "CoopCircuits",
      supportedBy: [{ collectivite: { name: "Ville de Lomme" }, status: "PLANNED" }],
    });
  });

  it("summarises engagements by status and by platform", async () => {
    const byStatus = await hub.query(EngagementSummaryDocument, { groupBy: "STATUS" });
    const total = byStatus.data!.engagementSummary.reduce((sum, b) => sum + b.count, 0);
    expect(total).toBe(await rowCount(engagements));
    const byPlatform = await hub.query(EngagementSummaryDocument, { groupBy: "PLATFORM" });
    expect(byPlatform.data?.engagementSummary).toEqual(
      expect.arrayContaining([{ key: "coopcircuits", count: 1 }]),
    );
  });
});

describe("recording an engagement", () => {
  it("stores it with its platforms and a first entry in its audit trail", async () => {
    const lomme = await agent("lomme");
    const { data } = await hub.query(
      RecordEngagementDocument,
      {
        input: {
          collectiviteId: "lomme",
          title: "Réparer les vélos avec Rustine Libre",
          platformSlugs: ["rustine-libre"],
          status: "PLANNED",
          sourceUrl: "https://exemple.org/deliberation",
        },
      },
      lomme,
    );
    expect(data?.recordEngagement).toMatchObject({
      status: "PLANNED",
      source: "agent",
      platforms: [{ slug: "rustine-libre" }],
      history: [{ field: "created", toValue: "PLANNED", agentId: subjectOf(lomme) }],
    });
  });

  it.each([
    ["for another collectivité", { collectiviteId: "mel" }, "lomme", "FORBIDDEN"],
    ["for an unknown collectivité", { collectiviteId: "atlantis" }, "atlantis", "NOT_FOUND"],
    ["with a title too short", { title: "ab" }, "lomme", "BAD_USER_INPUT"],
    [
      "with a malformed platform slug",
      { platformSlugs: ["Rustine Libre"] },
      "lomme",
      "BAD_USER_INPUT",
    ],
    [
      "with a source that is not a web address",
      { sourceUrl: "javascript:alert(1)" },
      "lomme",
      "BAD_USER_INPUT",
    ],
    ["starting in the future", { startedOn: "2999-01-01" }, "lomme", "BAD_USER_INPUT"],
    ["without credentials", {}, null, "UNAUTHENTICATED"],
    ["by an EBS member", {}, "member", "FORBIDDEN"],
    ["by an analyst", {}, "analyst", "FORBIDDEN"],
  ])("refuses one %s and writes nothing", async (_, change, caller, code) => {
    const before = [await rowCount(engagements), await rowCount(engagementChanges)];
    const headers =
      caller === null
        ? {}
        : caller === "member"
          ? await hub.as("exchange_member", { kind: "member", id: "demo-person-1" })
          : caller === "analyst"
            ? await hub.as("analyst")
            : await agent(caller);
    const { errors } = await hub.query(
      RecordEngagementDocument,
      { input: { collectiviteId: "lomme", title: "Un engagement", platformSlugs: [], ...change } },
      headers,
    );
    expect(errors?.[0]?.extensions?.code).toBe(code);
    expect([await rowCount(engagements), await rowCount(engagementChanges)]).toEqual(before);
  });
});

describe("changing an engagement's status", () => {
  const statuses: EngagementStatus[] = ["EXPLORING", "PLANNED", "LIVE", "ABANDONED"];
  const cases = statuses.flatMap((from) =>
    statuses.map(
      (to) => [from, to, (ENGAGEMENT_TRANSITIONS[from] as string[]).includes(to)] as const,
    ),
  );

  /** An engagement brought to `status` through legal moves. */
  async function engagementIn(status: EngagementStatus): Promise<string> {
    const id = await newEngagement(status === "ABANDONED" ? "EXPLORING" : status);
    if (status === "ABANDONED") {
      await hub.query(
        ChangeEngagementStatusDocument,
        { id, status: "ABANDONED" },
        await agent("lomme"),
      );
    }
    return id;
  }

  it.each(cases)("from %s to %s: legal = %s", async (from, to, legal) => {
    const id = await engagementIn(from);
    const changesBefore = await rowCount(engagementChanges);
    const { data, errors } = await hub.query(
      ChangeEngagementStatusDocument,
      { id, status: to, comment: "conseil municipal" },
      await agent("lomme", 2),
    );
    const [stored] = await hub.database.db.select().from(engagements).where(eq(engagements.id, id));
    if (legal) {
      expect(errors).toBeUndefined();
      expect(data?.changeEngagementStatus.status).toBe(to);
      expect(stored?.status).toBe(to);
      expect(await rowCount(engagementChanges)).toBe(changesBefore + 1);
    } else {
      expect(errors?.[0]?.extensions).toMatchObject({ code: "ILLEGAL_TRANSITION", from, to });
      expect(stored?.status).toBe(from);
      expect(await rowCount(engagementChanges)).toBe(changesBefore);
    }
  });

  it("keeps who changed what and when in the audit trail", async () => {
    const id = await newEngagement("EXPLORING");
    await hub.query(
      ChangeEngagementStatusDocument,
      { id, status: "PLANNED", comment: "budget voté" },
      await agent("lomme", 2),
    );
    await hub.query(
      ChangeEngagementStatusDocument,
      { id, status: "LIVE" },
      await agent("lomme", 3),
    );
    const { data } = await hub.query(EngagementHistoryDocument, { id });
    expect(
      data?.engagement?.history.map(({ field, fromValue, toValue, agentId, comment }) => ({
        field,
        fromValue,
        toValue,
        agentId,
        comment,
      })),
    ).toEqual([
      {
        field: "created",
        fromValue: null,
        toValue: "EXPLORING",
        agentId: subjectOf(await agent("lomme")),
        comment: null,
      },
      {
        field: "status",
        fromValue: "EXPLORING",
        toValue: "PLANNED",
        agentId: subjectOf(await agent("lomme", 2)),
        comment: "budget voté",
      },
      {
        field: "status",
        fromValue: "PLANNED",
        toValue: "LIVE",
        agentId: subjectOf(await agent("lomme", 3)),
        comment: null,
      },
    ]);
    const times = data!.engagement!.history.map((h) => Date.parse(h.changedAt as string));
    expect([...times].sort()).toEqual(times);
  });

  it("refuses an agent of another collectivité, and an unknown engagement", async () => {
    const id = await newEngagement("EXPLORING");
    const forbidden = await hub.query(
      ChangeEngagementStatusDocument,
      { id, status: "PLANNED" },
      await agent("mel"),
    );
    expect(forbidden.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const anonymous = await hub.query(ChangeEngagementStatusDocument, { id, status: "PLANNED" });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const admin = await hub.query(
      ChangeEngagementStatusDocument,
      { id, status: "PLANNED" },
      await hub.as("admin"),
    );
    expect(admin.data?.changeEngagementStatus.status).toBe("PLANNED");
    const unknown = await hub.query(
      ChangeEngagementStatusDocument,
      { id: "inconnu", status: "PLANNED" },
      await agent("lomme"),
    );
    expect(unknown.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });
});

describe("indicator measurements", () => {
  const base = { indicatorId: "collectifs-engages", unit: "collectifs" };

  it("adds measurements and follows the latest as the current value", async () => {
    expect(
      (
        await hub.query(
          AddIndicatorMeasurementDocument,
          { ...base, measuredOn: "2025-03-01", value: 12 },
          await agent("mel"),
        )
      ).errors,
    ).toBeUndefined();
    expect(
      (
        await hub.query(
          AddIndicatorMeasurementDocument,
          { ...base, measuredOn: "2025-06-01", value: 31 },
          await agent("mel"),
        )
      ).errors,
    ).toBeUndefined();
    const { data } = await hub.query(ChallengeIndicatorsDocument);
    const indicator = data?.challenges[0]?.indicators.find((i) => i.id === "collectifs-engages");
    expect(indicator?.measurements).toEqual([
      { measuredOn: "2025-03-01", value: 12 },
      { measuredOn: "2025-06-01", value: 31 },
    ]);
    expect(indicator?.currentValue).toBe(31);
    expect(indicator?.progress).toBeNull(); // no public target
    expect(data?.challenges[0]?.source).toBe("placeholder");
  });

  it.each([
    [
      "a second measurement for the same date",
      { measuredOn: "2025-06-01", value: 40 },
      "DUPLICATE_MEASUREMENT",
    ],
    ["another unit", { measuredOn: "2025-07-01", value: 40, unit: "personnes" }, "UNIT_MISMATCH"],
    ["a date in the future", { measuredOn: "2999-01-01", value: 40 }, "BAD_USER_INPUT"],
    ["a negative value", { measuredOn: "2025-07-02", value: -1 }, "BAD_USER_INPUT"],
    [
      "an unknown indicator",
      { measuredOn: "2025-07-03", value: 1, indicatorId: "inconnu" },
      "NOT_FOUND",
    ],
  ])("refuses %s and writes nothing", async (_, change, code) => {
    await hub.query(
      AddIndicatorMeasurementDocument,
      { ...base, measuredOn: "2025-06-01", value: 31 },
      await agent("mel"),
    ); // may already exist
    const before = await rowCount(measurements);
    const { errors } = await hub.query(
      AddIndicatorMeasurementDocument,
      { ...base, ...change },
      await agent("mel"),
    );
    expect(errors?.[0]?.extensions?.code).toBe(code);
    expect(await rowCount(measurements)).toBe(before);
  });
});
