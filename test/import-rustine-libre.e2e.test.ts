import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { promisify } from "node:util";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startImportSchedule } from "../imports/jobs.js";
import { describeRun, lastRuns } from "../imports/runs.js";
import { importRustineLibre, type RustineLibreOptions } from "../imports/rustine-libre/index.js";
import { importRuns } from "../imports/tables.js";
import { BUILT_HUB } from "../lib/paths.js";
import { appointments, customers, repairers } from "../subgraphs/bookings/tables.js";
import { expectStatsToMatchPlainCounts } from "./appointment-stats.js";
import { startTestHub, type TestHub, testDatabaseEnv } from "./harness.js";
import {
  collection,
  iri,
  type Json,
  type StandIn,
  startStandIn,
} from "./rustine-libre-stand-in.js";

/** A Rustine Libre serving what `upstream` holds, and failing when `faults` say so. */
function repairer(id: number, fields: Json): Json {
  return {
    "@id": iri("repairers", id),
    "@type": "Repairer",
    id,
    owner: iri("users", 100 + id),
    repairerTypes: [
      {
        "@id": iri("repairer_types", 1),
        "@type": "RepairerType",
        id: 1,
        name: "Atelier de réparation",
      },
    ],
    streetNumber: String(id),
    street: "rue de l'Essai",
    latitude: "50.63",
    longitude: "3.06",
    firstSlotAvailable: null,
    enabled: true,
    slug: `essai-${id}`,
    ...fields,
  };
}

const upstream = {
  repairerTypes: [
    { "@id": iri("repairer_types", 1), id: 1, name: "Atelier de réparation" },
    { "@id": iri("repairer_types", 2), id: 2, name: "Auto réparation" },
    { "@id": iri("repairer_types", 3), id: 3, name: "Réparateur itinérant" },
  ],
  bikeTypes: [
    { "@id": iri("bike_types", 1), id: 1, name: "Vélo classique" },
    { "@id": iri("bike_types", 2), id: 2, name: "Vélo électrique" },
  ],
  repairers: [] as Json[],
  details: new Map<number, Json>(),
  hours: new Map<number, Json[]>(),
  closures: new Map<number, Json[]>(),
};

function resetUpstream() {
  upstream.repairers = [
    repairer(1, { name: "Atelier d'essai de Lille", city: "Lille", postcode: "59000" }),
    repairer(2, { name: "Atelier d'essai de Lomme", city: "Lomme", postcode: "59160" }),
    repairer(3, { name: 42, city: "Lille", postcode: "59000" }),
    repairer(4, {
      name: "Itinérant d'essai",
      city: "Lille-Hellemmes",
      postcode: "59260",
      repairerTypes: [iri("repairer_types", 3)],
    }),
    repairer(5, { name: "Atelier de nulle part", city: "Saint-Martin", postcode: "59000" }),
    repairer(6, {
      name: "Atelier d'essai en attente",
      city: "Lille",
      postcode: "59000",
      enabled: false,
    }),
    repairer(7, { name: "Garage d'essai de Libercourt", city: "Libercourt", postcode: "62820" }),
  ];
  upstream.details = new Map(
    upstream.repairers.map((r) => [
      r.id as number,
      {
        description: `Description ${String(r.id)}`,
        bikeTypesSupported: [iri("bike_types", 1), iri("bike_types", 2)],
        durationSlot: 30,
        numberOfSlots: 2,
        repairerCities:
          r.id === 4
            ? [
                { name: "Lezennes", postcode: "59260" },
                { name: "Nulle-Part", postcode: "59000" },
              ]
            : [],
      },
    ]),
  );
  upstream.hours = new Map(
    upstream.repairers.map((r) => [
      r.id as number,
      [
        {
          "@id": "/repairer_opening_hours/1",
          id: 1,
          day: "monday",
          startTime: "9:00",
          endTime: "12:00",
        },
        {
          "@id": "/repairer_opening_hours/2",
          id: 2,
          day: "tuesday",
          startTime: "14:00",
          endTime: "18:30",
        },
        {
          "@id": "/repairer_opening_hours/3",
          id: 3,
          day: "someday",
          startTime: "14:00",
          endTime: "18:30",
        },
      ],
    ]),
  );
  upstream.closures = new Map([
    [1, [{ id: 1, startDate: "2031-08-01T00:00:00+02:00", endDate: "2031-08-15T00:00:00+02:00" }]],
  ]);
}

/** Requests that fail: a URL part, how many times, and how (an HTTP status, or hanging). */
let faults: { match: string; times: number; status?: number; hang?: boolean }[] = [];

function answer(url: URL): Json | null {
  const repairerParam = Number(url.searchParams.get("repairer"));
  switch (url.pathname) {
    case "/api/repairer_types":
      return collection(url.pathname, upstream.repairerTypes, url);
    case "/api/bike_types":
      return collection(url.pathname, upstream.bikeTypes, url);
    case "/api/repairers":
      return collection(url.pathname, upstream.repairers, url);
    case "/api/repairer_opening_hours":
      return collection(url.pathname, upstream.hours.get(repairerParam) ?? [], url);
    case "/api/repairer_exceptional_closures":
      return collection(url.pathname, upstream.closures.get(repairerParam) ?? [], url);
    case "/api/interventions": {
      const owner = Number(url.searchParams.get("owner"));
      const id = owner - 100;
      return collection(
        url.pathname,
        [
          {
            "@id": "/interventions/9",
            id: 9,
            description: "Réglage des freins",
            isAdmin: true,
            repairerInterventions: [{ price: 1000 + id, repairer: iri("repairers", id) }],
          },
        ],
        url,
      );
    }
  }
  const detail = /^\/api\/repairers\/(\d+)$/.exec(url.pathname);
  if (detail) {
    const summary = upstream.repairers.find((r) => r.id === Number(detail[1]));
    return summary ? { ...summary, ...upstream.details.get(summary.id as number) } : null;
  }
  return null;
}

let standIn: StandIn;
let baseUrl: string;
let requests: string[];
let hub: TestHub;

beforeAll(async () => {
  resetUpstream();
  standIn = await startStandIn(answer, (url, res) => {
    const fault = faults.find(
      (f) => f.times > 0 && `${url.pathname}${url.search}`.includes(f.match),
    );
    if (!fault) return false;
    fault.times -= 1;
    // Hanging, it never answers: the client's timeout must fire.
    if (!fault.hang) res.writeHead(fault.status ?? 500).end("upstream error");
    return true;
  });
  ({ url: baseUrl, requests } = standIn);
  hub = await startTestHub();
});

afterAll(async () => {
  standIn?.close();
  await hub?.close();
});

const run = (options: Partial<RustineLibreOptions> = {}) =>
  importRustineLibre(hub.database.db, {
    url: baseUrl,
    itemsPerPage: 3,
    // Long enough that only a hanging request reaches it, whatever the load.
    fetch: { retries: 2, backoffMs: 10, timeoutMs: 5_000 },
    ...options,
  });

/** Each query text is new, so the gateway's response cache never answers from before an import. */
let queries = 0;
async function melRepairers() {
  const { data, errors } = await hub.query<
    {
      territory: {
        repairers: {
          nodes: {
            id: string;
            name: string;
            slotDurationMinutes: number;
            territory: { id: string };
            openingHours: { day: string; startTime: string }[];
            interventions: { name: string; priceCents: number }[];
            citiesServed: { id: string }[];
          }[];
        };
      };
    },
    never
  >(
    `query Mel${queries++} { territory(id: "EPCI:200093201") { repairers(first: 40) { nodes { id name slotDurationMinutes territory { id } openingHours { day startTime } interventions { name priceCents } citiesServed { id } } } } }`,
  );
  expect(errors).toBeUndefined();
  return new Map(
    data!.territory.repairers.nodes
      .filter((r) => r.id.startsWith("rustine-libre-"))
      .map((r) => [r.id, r]),
  );
}

describe("import rustine-libre", () => {
  it("follows Hydra pages through a timeout and an HTTP 500, and reports what it rejected and why", async () => {
    faults = [
      { match: "/api/repairers?itemsPerPage=3&page=2", times: 1, status: 500 },
      { match: "/api/repairers/2", times: 1, hang: true },
    ];
    requests.length = 0;
    const { report } = await run();
    const { counts, rejected, warnings } = report.data;

    expect(requests.filter((r) => r === "/api/repairers?itemsPerPage=3&page=2")).toHaveLength(2);
    expect(requests.filter((r) => r === "/api/repairers/2")).toHaveLength(2);
    // 6 is disabled: skipped, without a request about it (nor about 3 and 5, rejected for their own fields).
    expect(counts.repairers).toEqual({
      created: 4,
      updated: 0,
      unchanged: 0,
      skipped: 1,
      withdrawn: 0,
    });
    for (const id of [3, 5, 6])
      expect(
        requests.filter((r) => r.includes(`/repairers/${id}`) || r.includes(`repairer=${id}&`)),
      ).toEqual([]);
    expect(rejected).toEqual([
      { entity: "repairers", sourceId: "3", reason: "name is not a string" },
      {
        entity: "repairers",
        sourceId: "5",
        reason: 'commune not resolved: no commune named "Saint-Martin" has postcode 59000',
      },
    ]);
    expect(warnings).toContainEqual({
      entity: "repairers",
      sourceId: "4",
      reason: 'served city left out: no commune named "Nulle-Part" has postcode 59000',
    });
    expect(warnings.some((w) => w.reason.includes("someday"))).toBe(true);
    // The route API Platform would give RepairerIntervention is not served: asked once, said once.
    expect(requests.filter((r) => r.startsWith("/api/repairer_interventions"))).toHaveLength(1);
    expect(warnings.filter((w) => w.sourceId.startsWith("/"))).toEqual([
      {
        entity: "repairers",
        sourceId: "/repairer_interventions",
        reason: "not served by the source (HTTP 404): nothing read from it in this run",
      },
    ]);
    // The seeded reference rows are the same types: they gain their id at Rustine Libre.
    expect(counts.repairer_types).toEqual({
      created: 0,
      updated: 3,
      unchanged: 0,
      skipped: 0,
      withdrawn: 0,
    });

    const [row] = await hub.database.db
      .select()
      .from(repairers)
      .where(eq(repairers.id, "rustine-libre-2"));
    expect(row).toMatchObject({
      source: "rustine-libre",
      sourceId: "2",
      territoryId: "COMA:59355",
      city: "Lomme",
      latitude: 50.63,
      enabled: true,
    });
  });

  it("shows the imported repairers through the gateway: commune, hours, prices, served cities; never a disabled one", async () => {
    const listed = await melRepairers();
    expect([...listed.keys()].sort()).toEqual([
      "rustine-libre-1",
      "rustine-libre-2",
      "rustine-libre-4",
    ]);
    expect(listed.get("rustine-libre-1")).toMatchObject({
      name: "Atelier d'essai de Lille",
      slotDurationMinutes: 30,
      territory: { id: "COM:59350" },
      openingHours: [
        { day: "MONDAY", startTime: "09:00" },
        { day: "TUESDAY", startTime: "14:00" },
      ],
      interventions: [{ name: "Réglage des freins", priceCents: 1001 }],
    });
    expect(listed.get("rustine-libre-4")!.territory.id).toBe("COMA:59298");
    expect(listed.get("rustine-libre-4")!.citiesServed).toEqual([{ id: "COM:59346" }]);
  });

  it("changes nothing on a second run", async () => {
    const { report } = await run();
    expect(report.data.counts.repairers).toEqual({
      created: 0,
      updated: 0,
      unchanged: 4,
      skipped: 1,
      withdrawn: 0,
    });
    expect(report.data.counts.repairer_types).toEqual({
      created: 0,
      updated: 0,
      unchanged: 3,
      skipped: 0,
      withdrawn: 0,
    });
  });

  it("updates a changed repairer and withdraws one gone from the source, without deleting it", async () => {
    upstream.repairers[0] = {
      ...upstream.repairers[0],
      name: "Atelier d'essai de Lille (renommé)",
    };
    upstream.hours.set(1, [{ id: 1, day: "friday", startTime: "10:00", endTime: "12:00" }]);
    upstream.repairers = upstream.repairers.filter((r) => r.id !== 2);
    const { report } = await run();
    expect(report.data.counts.repairers).toEqual({
      created: 0,
      updated: 1,
      unchanged: 2,
      skipped: 1,
      withdrawn: 1,
    });

    const listed = await melRepairers();
    expect(listed.get("rustine-libre-1")).toMatchObject({
      name: "Atelier d'essai de Lille (renommé)",
      openingHours: [{ day: "FRIDAY", startTime: "10:00" }],
    });
    expect(listed.has("rustine-libre-2")).toBe(false);
    const [withdrawn] = await hub.database.db
      .select()
      .from(repairers)
      .where(eq(repairers.id, "rustine-libre-2"));
    expect(withdrawn!.withdrawnAt).toBeInstanceOf(Date);
  });

  it("stops on a page that keeps failing, writes nothing of it, and resumes there on the next run", async () => {
    upstream.repairers.push(
      repairer(8, { name: "Atelier d'essai de Roubaix", city: "Roubaix", postcode: "59100" }),
    );
    faults = [{ match: "/api/repairers?itemsPerPage=3&page=3", times: 3, status: 500 }];
    await expect(run()).rejects.toThrow(
      `GET ${baseUrl}/repairers?itemsPerPage=3&page=3: HTTP 500 (3 attempts)`,
    );
    const [failed] = await hub.database.db
      .select()
      .from(importRuns)
      .where(eq(importRuns.status, "failed"));
    expect(failed!.cursor).toMatchObject({
      phase: "repairers",
      position: `${baseUrl}/repairers?itemsPerPage=3&page=3`,
    });
    expect(
      await hub.database.db.select().from(repairers).where(eq(repairers.id, "rustine-libre-8")),
    ).toEqual([]);

    requests.length = 0;
    const progress: string[] = [];
    const resumed = await run({ progress: (line) => progress.push(line) });
    expect(resumed.resumed).toBe(true);
    // Counted from where it stopped: the two pages read before, then this one.
    expect(progress).toEqual([
      `rustine-libre: resuming run ${failed!.id} at repairers (${baseUrl}/repairers?itemsPerPage=3&page=3)`,
      "rustine-libre: repairers 7/7",
    ]);
    expect(resumed.runId).toBe(failed!.id);
    expect(
      requests.some(
        (r) => r.startsWith("/api/repairer_types") || r === "/api/repairers?itemsPerPage=3",
      ),
    ).toBe(false);
    expect(resumed.report.data.counts.repairers).toMatchObject({ created: 1, withdrawn: 0 });
    const [last] = await hub.database.db
      .select()
      .from(importRuns)
      .where(eq(importRuns.id, failed!.id));
    expect(last).toMatchObject({ status: "succeeded", resumed: 1, cursor: null });
  });

  it("runs on a schedule inside the hub, and lists its runs for `hub import status`", async () => {
    const before = (await lastRuns(hub.database.db))[0]!.id;
    const lines: string[] = [];
    // Every second (croner reads a sixth field as seconds): the test need not wait long.
    const stop = startImportSchedule(
      hub.database.db,
      "* * * * * *",
      [{ connector: "rustine-libre", url: baseUrl }],
      {
        pseudonymSecret: undefined,
        log: (line) => lines.push(line),
      },
    );
    try {
      await expect
        .poll(() => lines.find((l) => l.startsWith("import rustine-libre done")), {
          timeout: 30_000,
        })
        .toBeDefined();
    } finally {
      stop();
    }
    const [latest] = await lastRuns(hub.database.db, 1);
    expect(latest!.id).toBeGreaterThan(before);
    expect(describeRun(latest!)).toMatch(
      new RegExp(
        `^#${latest!.id} rustine-libre ${baseUrl} succeeded .* in \\d+\\.\\d s: 0 created, 0 updated, 9 unchanged, 1 skipped, 0 withdrawn, 2 rejected of 12 read$`,
      ),
    );
  });

  it("runs from the command line: `npm run import -- rustine-libre --url` prints its report", async () => {
    const env = { ...process.env, ...(await testDatabaseEnv()) };
    try {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [BUILT_HUB, "import", "rustine-libre", "--url", baseUrl],
        { env, encoding: "utf8" },
      );
      expect(stdout).toContain(
        "repairers              4 created, 0 updated, 0 unchanged, 1 skipped, 0 withdrawn",
      );
      expect(stdout).toContain("  rejected: 2\n    repairers 3: name is not a string\n");
      // A run that fails before its first batch says that nothing was kept, not that it resumes.
      const failed = promisify(execFile)(
        process.execPath,
        [BUILT_HUB, "import", "rustine-libre", "--url", `${baseUrl}/nowhere`],
        { env, encoding: "utf8" },
      );
      await expect(failed).rejects.toMatchObject({
        stderr: `GET ${baseUrl}/nowhere/repairer_types?itemsPerPage=30: HTTP 404\nNothing was written: the next run of this import starts from the beginning.\n`,
      });
    } finally {
      if (env.DATA_DIR) rmSync(env.DATA_DIR, { recursive: true, force: true });
    }
    // A child process opens the database and checks its migrations and seeds first: slow on PGlite.
  }, 300_000);

  it("keeps the appointment statistics equal to a plain count when a re-import moves a repairer to another commune", async () => {
    const now = new Date();
    await hub.database.db.insert(customers).values({ id: "stats-import" }).onConflictDoNothing();
    await hub.database.db.insert(appointments).values(
      ["2026-02-10T09:00:00Z", "2026-02-28T23:30:00Z", "2026-03-02T14:00:00Z"].map((slot) => {
        const appointment = {
          repairerId: "rustine-libre-7",
          customerId: "stats-import",
          slotTime: new Date(slot),
          bikeTypeId: "velo-classique",
        };
        return {
          id: randomUUID(),
          ...appointment,
          status: "VALIDATED",
          createdAt: now,
          updatedAt: now,
          source: "test",
        };
      }),
    );
    const filters = [
      { territoryId: "COM:62907" },
      { territoryId: "COM:59512" },
      { territoryId: "COM:59512", from: "2026-02-15", to: "2026-03-31" },
      {},
    ];
    await expectStatsToMatchPlainCounts(hub, filters);

    upstream.repairers = upstream.repairers.map((r) =>
      r.id === 7
        ? {
            ...r,
            name: "Garage d'essai, à Roubaix désormais",
            city: "Roubaix",
            postcode: "59100",
            slug: "essai-7-roubaix",
          }
        : r,
    );
    expect((await run()).report.data.counts.repairers).toMatchObject({ updated: 1 });
    const [moved] = await hub.database.db
      .select()
      .from(repairers)
      .where(eq(repairers.id, "rustine-libre-7"));
    expect(moved!.territoryId).toBe("COM:59512");
    await expectStatsToMatchPlainCounts(hub, filters);
  });

  it("asks the source about a repairer a run did not list, and withdraws it only when the source says it is gone", async () => {
    upstream.repairers.push(
      repairer(9, { name: "Atelier d'essai de Tourcoing", city: "Tourcoing", postcode: "59200" }),
    );
    expect((await run()).report.data.counts.repairers).toMatchObject({ created: 1 });
    // Pages 1 and 2 are written, page 3 (8 and 9) fails; then 1 and 9 are deleted at the source, so
    // the resumed run's page 3 starts after 8, which has moved back to page 2.
    faults = [{ match: "/api/repairers?itemsPerPage=3&page=3", times: 3, status: 500 }];
    await expect(run()).rejects.toThrow("page=3: HTTP 500 (3 attempts)");
    upstream.repairers = upstream.repairers.filter((r) => r.id !== 1 && r.id !== 9);
    requests.length = 0;
    const progress: string[] = [];
    const { report, resumed } = await run({ progress: (line) => progress.push(line) });
    expect(resumed).toBe(true);
    expect(requests.filter((r) => /^\/api\/repairers\/\d+$/.test(r)).sort()).toEqual([
      "/api/repairers/8",
      "/api/repairers/9",
    ]);
    expect(progress).toContain("rustine-libre: 2 repairer(s) not listed, asked one by one");
    expect(report.data.counts.repairers).toMatchObject({ withdrawn: 1 });
    const rows = await hub.database.db
      .select({ id: repairers.id, withdrawnAt: repairers.withdrawnAt })
      .from(repairers)
      .where(eq(repairers.source, "rustine-libre"));
    const state = new Map(rows.map((r) => [r.id, r.withdrawnAt !== null]));
    // 1 was read before it went: the next complete run withdraws it.
    expect([
      state.get("rustine-libre-1"),
      state.get("rustine-libre-8"),
      state.get("rustine-libre-9"),
    ]).toEqual([false, false, true]);
  });

  it("keeps a repairer the source will not answer about, with a warning, and withdraws nothing during an outage", async () => {
    upstream.repairers = upstream.repairers.filter((r) => r.id !== 8);
    faults = [{ match: "/api/repairers/8", times: 3, status: 503 }];
    await expect(run()).rejects.toThrow(`GET ${baseUrl}/repairers/8: HTTP 503 (3 attempts)`);
    const rejectedBefore = (await lastRuns(hub.database.db, 1))[0]!.report.rejectedTotal;
    const rowOf8 = () =>
      hub.database.db.select().from(repairers).where(eq(repairers.id, "rustine-libre-8"));
    expect((await rowOf8())[0]!.withdrawnAt).toBeNull();

    // Resumed at the withdrawal; the source now refuses to say (403): kept, with a warning.
    faults = [{ match: "/api/repairers/8", times: 1, status: 403 }];
    const { report, resumed } = await run();
    expect(resumed).toBe(true);
    expect(report.data.rejectedTotal).toBe(rejectedBefore);
    expect(report.data.warnings).toContainEqual({
      entity: "repairers",
      sourceId: "8",
      reason: `not withdrawn: its absence could not be confirmed (GET ${baseUrl}/repairers/8: HTTP 403)`,
    });
    expect((await rowOf8())[0]!.withdrawnAt).toBeNull();
  });
});
