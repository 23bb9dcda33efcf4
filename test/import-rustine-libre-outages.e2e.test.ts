import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import { promisify } from "node:util";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importRustineLibre } from "../imports/rustine-libre/index.js";
import { importRuns } from "../imports/tables.js";
import { BUILT_HUB } from "../lib/paths.js";
import { interventions, openingHours, repairers } from "../subgraphs/bookings/tables.js";
import { startTestHub, type TestHub, testDatabaseEnv } from "./harness.js";
import {
  collection,
  iri,
  type Json,
  type StandIn,
  startStandIn,
} from "./rustine-libre-stand-in.js";

/**
 * A Rustine Libre written from its public entities, as a real instance serves them: 23 repairers
 * (the collection's fields of `Repairer`, the detail's at `/repairers/{id}`) over 3 pages, one
 * disabled, one malformed; opening hours, but neither closures nor any interventions route.
 */
const ADDRESSES: [string, string][] = [
  ["Lille", "59000"],
  ["Lille", "59160"], // Lomme, by La Poste's postcode
  ["Hellemmes", "59260"],
  ["Roubaix", "59100"],
  ["Tourcoing", "59200"],
  ["Villeneuve-d'Ascq", "59650"],
  ["Lomme", "59160"],
  ["Lille-Hellemmes", "59260"],
];

const DISABLED = 5;
const MALFORMED = 14;

function summary(id: number): Json {
  const [city, postcode] = ADDRESSES[id % ADDRESSES.length]!;
  return {
    "@id": iri("repairers", id),
    "@type": "Repairer",
    id,
    owner: iri("users", 200 + id),
    repairerTypes: [iri("repairer_types", 1 + (id % 2))],
    name: `Atelier solidaire n° ${id}`,
    street: "rue du Vélo",
    streetNumber: String(id),
    city,
    postcode,
    latitude: "50.63",
    longitude: "3.06",
    firstSlotAvailable: null,
    enabled: id !== DISABLED,
    thumbnail: null,
    descriptionPicture: null,
    slug: `atelier-solidaire-${id}`,
    // The malformed one: a position that is not a number.
    ...(id === MALFORMED ? { latitude: "nord" } : {}),
  };
}

const source = {
  repairers: Array.from({ length: 23 }, (_, i) => summary(i + 1)),
};

function answer(url: URL): Json | null {
  const repairer = Number(url.searchParams.get("repairer"));
  switch (url.pathname) {
    case "/api/repairer_types":
      return collection(
        url.pathname,
        [
          { "@id": iri("repairer_types", 1), id: 1, name: "Atelier de réparation" },
          { "@id": iri("repairer_types", 2), id: 2, name: "Auto réparation" },
        ],
        url,
      );
    case "/api/bike_types":
      return collection(
        url.pathname,
        [{ "@id": iri("bike_types", 1), id: 1, name: "Vélo classique" }],
        url,
      );
    case "/api/repairers":
      return collection(url.pathname, source.repairers, url);
    case "/api/repairer_opening_hours":
      return collection(
        url.pathname,
        [
          {
            "@id": iri("repairer_opening_hours", repairer),
            day: "saturday",
            startTime: "10:00",
            endTime: "17:00",
          },
        ],
        url,
      );
  }
  const detail = /^\/api\/repairers\/(\d+)$/.exec(url.pathname);
  const found = detail && source.repairers.find((r) => r.id === Number(detail[1]));
  return found
    ? {
        ...found,
        description: `Réparations et conseils, atelier ${String(found.id)}.`,
        mobilePhone: null,
        country: "France",
        bikeTypesSupported: [iri("bike_types", 1)],
        openingHours: null,
        optionalPage: null,
        comment: null,
        durationSlot: 30,
        numberOfSlots: 2,
        repairerCities: [],
      }
    : null;
}

/** From the request numbered `failAfter` on, the connection is cut: the source is down. */
let failAfter = Number.POSITIVE_INFINITY;
let standIn: StandIn;
let hub: TestHub;

beforeAll(async () => {
  standIn = await startStandIn(answer, (_url, res) => {
    if (standIn.requests.length <= failAfter) return false;
    res.socket?.destroy();
    return true;
  });
  hub = await startTestHub();
});

afterAll(async () => {
  standIn?.close();
  await hub?.close();
});

const run = () =>
  importRustineLibre(hub.database.db, {
    url: standIn.url,
    itemsPerPage: 10,
    fetch: { retries: 2, backoffMs: 10, timeoutMs: 5_000 },
  });

const imported = () =>
  hub.database.db
    .select({
      id: repairers.id,
      territoryId: repairers.territoryId,
      withdrawnAt: repairers.withdrawnAt,
    })
    .from(repairers)
    .where(eq(repairers.source, "rustine-libre"));

describe("import rustine-libre from a source with gaps and outages", () => {
  it("stops failed when the source goes down mid-page, rejects nobody for it, and keeps the pages written", async () => {
    // The reference lists (2 requests), page 1 and its repairers, then the source goes down on page 2.
    failAfter = 40;
    await expect(run()).rejects.toThrow(/network error \(3 attempts\)$/);
    const [failed] = await hub.database.db.select().from(importRuns);
    expect(failed).toMatchObject({
      status: "failed",
      cursor: { phase: "repairers", position: `${standIn.url}/repairers?itemsPerPage=10&page=2` },
    });
    expect(failed!.report.rejectedTotal).toBe(0);
    // Page 1: repairers 1 to 10, 5 being disabled.
    expect((await imported()).map((r) => r.id).sort()).toEqual(
      [1, 2, 3, 4, 6, 7, 8, 9, 10].map((id) => `rustine-libre-${id}`).sort(),
    );
  });

  it("resumes at that page against the healthy source: every valid enabled repairer, no prices, no duplicate, nothing withdrawn", async () => {
    failAfter = Number.POSITIVE_INFINITY;
    standIn.requests.length = 0;
    const { report, resumed } = await run();
    expect(resumed).toBe(true);
    expect(report.data.counts.repairers).toEqual({
      created: 21,
      updated: 0,
      unchanged: 0,
      skipped: 1,
      withdrawn: 0,
    });
    expect(report.data.rejected).toEqual([
      { entity: "repairers", sourceId: String(MALFORMED), reason: "latitude is not a number" },
    ]);
    // Neither the disabled nor the malformed one is asked about beyond its page.
    for (const id of [DISABLED, MALFORMED])
      expect(standIn.requests.filter((r) => new RegExp(`(/|repairer=)${id}(&|$)`).test(r))).toEqual(
        [],
      );
    // Each route the source lacks is said once for the run, not once per repairer.
    const bySource = (a: { sourceId: string }, b: { sourceId: string }) =>
      a.sourceId.localeCompare(b.sourceId);
    const notServed = "not served by the source (HTTP 404): nothing read from it in this run";
    expect(report.data.warnings.sort(bySource)).toEqual(
      ["/interventions", "/repairer_exceptional_closures", "/repairer_interventions"].map(
        (sourceId) => ({ entity: "repairers", sourceId, reason: notServed }),
      ),
    );

    const rows = await imported();
    const ids = rows.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(
      source.repairers
        .map((r) => r.id as number)
        .filter((id) => id !== DISABLED && id !== MALFORMED)
        .map((id) => `rustine-libre-${id}`)
        .sort(),
    );
    expect(rows.every((r) => r.withdrawnAt === null)).toBe(true);
    const territory = new Map(rows.map((r) => [r.id, r.territoryId]));
    expect([1, 2, 6, 7, 8].map((id) => territory.get(`rustine-libre-${id}`))).toEqual([
      "COMA:59355",
      "COMA:59298",
      "COMA:59355",
      "COMA:59298",
      "COM:59350",
    ]);
    expect(
      await hub.database.db
        .select()
        .from(interventions)
        .where(inArray(interventions.repairerId, ids)),
    ).toEqual([]);
    expect(
      await hub.database.db
        .select()
        .from(openingHours)
        .where(inArray(openingHours.repairerId, ids)),
    ).toHaveLength(21);
  });

  it("writes nothing on a second run", async () => {
    const { report, resumed } = await run();
    expect(resumed).toBe(false);
    expect(report.data.counts.repairers).toEqual({
      created: 0,
      updated: 0,
      unchanged: 21,
      skipped: 1,
      withdrawn: 0,
    });
    expect(report.data.counts.repairer_types).toMatchObject({ created: 0, updated: 0 });
  });

  it("exits 1 with its report when every record it reads is rejected", async () => {
    const broken = await startStandIn((url) =>
      url.pathname === "/api/repairers"
        ? collection(
            url.pathname,
            source.repairers.map(({ name: _name, ...rest }) => ({ ...rest, enabled: true })),
            url,
          )
        : url.pathname.startsWith("/api/") && !/\d$/.test(url.pathname)
          ? collection(url.pathname, [], url)
          : null,
    );
    const env = { ...process.env, ...(await testDatabaseEnv()) };
    try {
      const failed = promisify(execFile)(
        process.execPath,
        [BUILT_HUB, "import", "rustine-libre", "--url", broken.url],
        { env, encoding: "utf8" },
      );
      await expect(failed).rejects.toMatchObject({ code: 1 });
      const { stderr } = (await failed.catch((error: unknown) => error)) as { stderr: string };
      expect(stderr).toContain("  rejected: 23\n    repairers 1: name is missing\n");
      expect(stderr).toContain("The run failed: every record read (23) was rejected.");
      const status = await promisify(execFile)(process.execPath, [BUILT_HUB, "import", "status"], {
        env,
        encoding: "utf8",
      });
      expect(status.stdout).toMatch(
        /^#1 rustine-libre \S+ failed .*: 0 created, 0 updated, 0 unchanged, 0 skipped, 0 withdrawn, 23 rejected of 23 read\n {4}every record read \(23\) was rejected$/m,
      );
    } finally {
      broken.close();
      if (env.DATA_DIR) rmSync(env.DATA_DIR, { recursive: true, force: true });
    }
    // Two child processes, each opening a new database and its seeds: slow on PGlite.
  }, 300_000);
});
