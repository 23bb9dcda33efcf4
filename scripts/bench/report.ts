import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { hiveConfig } from "./hive.js";
import { HIVE, HIVE_DEFAULTS, type Measure, NO_FETCH_CACHE, UNCACHED, WORKERS } from "./targets.js";

export interface WorkloadResults {
  workload: string;
  connections: number;
  measures: Measure[];
}

export interface SizeResults {
  size: "seeded" | "scale";
  territories: number;
  communes: number;
  results: WorkloadResults[];
  /** `hub start` on an empty database: migrations, the territory import, the seed. */
  firstStartMs: number;
  /** `hub start` again on the same database, nothing left to migrate or seed. */
  secondStartMs: number;
  generationMs?: number;
}

const ratio = (a: number | undefined, b: number | undefined) =>
  a !== undefined && b ? `${(a / b).toFixed(2)}×` : "–";
const ms = (value: number) => `${value} ms`;

function find(size: SizeResults, workload: string, target: string): Measure | undefined {
  return size.results
    .find((r) => r.workload === workload)
    ?.measures.find((m) => m.target === target);
}

function measuresTable(size: SizeResults): string {
  const rows = size.results.flatMap((r) =>
    r.measures.map(
      (m) =>
        `| ${r.workload} (${r.connections} conn.) | ${m.target} | ${m.requestsPerSecond.toFixed(0)} | ${ms(m.p50Ms)} | ${ms(m.p99Ms)} | ${m.errors} / ${m.requests} | ${m.peakMemoryMb === undefined ? "–" : `${m.peakMemoryMb.toFixed(0)} MB`} | ${m.statementsPerRequest.toFixed(2)} | ${m.subgraphCallsPerRequest?.toFixed(2) ?? ""} |`,
    ),
  );
  return `| workload | through | req/s | p50 | p99 | errors / requests | peak memory | SQL statements / request | subgraph calls / request |
|---|---|---|---|---|---|---|---|---|
${rows.join("\n")}`;
}

function ratiosTable(size: SizeResults): string {
  const rows = size.results.map((r) => {
    const [hub, noFetchCache, uncached, workers, hive, hiveDefaults, direct] = [
      "hub",
      NO_FETCH_CACHE,
      UNCACHED,
      WORKERS,
      HIVE,
      HIVE_DEFAULTS,
      "direct",
    ].map((target) => find(size, r.workload, target));
    return `| ${r.workload} | ${ratio(hub?.requestsPerSecond, hive?.requestsPerSecond)} | ${ratio(hub?.p99Ms, hive?.p99Ms)} | ${ratio(workers?.requestsPerSecond, hive?.requestsPerSecond)} | ${ratio(uncached?.requestsPerSecond, hiveDefaults?.requestsPerSecond)} | ${ratio(hub?.requestsPerSecond, noFetchCache?.requestsPerSecond)} | ${ratio(uncached?.p50Ms, direct?.p50Ms)} |`;
  });
  return `| workload | hub / Hive at its best, req/s | hub / Hive at its best, p99 | hub workers / Hive at its best, req/s | hub cache off / Hive defaults, req/s | hub / hub without fetch cache, req/s | hub cache off p50 / direct p50 |
|---|---|---|---|---|---|---|
${rows.join("\n")}`;
}

const READS = ["portal", "hot", "analyst", "longtail", "revisit", "search"];
const RACED = ["portal", "hot", "analyst", "longtail"];

type Row = readonly [
  string,
  string,
  number | undefined,
  (v: number) => string,
  (v: number) => boolean,
];

/** The issue's targets, each with this run's figure and whether it is met. */
function targetsTable(sizes: SizeResults[]): string {
  const seeded = sizes.find((s) => s.size === "seeded")!;
  const check = (ok: boolean | undefined) =>
    ok === undefined ? "not measured" : ok ? "met" : "**missed**";
  const times = (v: number) => `${v.toFixed(2)}×`;
  const of = (workload: string, target: string) => find(seeded, workload, target);
  const quotient = (a: number | undefined, b: number | undefined) =>
    a !== undefined && b ? a / b : undefined;
  const peakOf = (target: string) =>
    Math.max(
      0,
      ...sizes.flatMap((s) =>
        s.results.flatMap((r) =>
          r.measures.filter((m) => m.target === target).map((m) => m.peakMemoryMb ?? 0),
        ),
      ),
    ) || undefined;
  const hubPeak = peakOf("hub");
  const hivePeak = Math.max(peakOf(HIVE) ?? 0, peakOf(HIVE_DEFAULTS) ?? 0) || undefined;
  const search = of("search", UNCACHED);
  // Reads only: a write's transaction (begin, lock, insert, commit) is several statements by nature.
  const statementsPerFetch = Math.max(
    ...sizes.flatMap((s) =>
      READS.map((workload) => find(s, workload, "direct")).map((m) =>
        m?.subgraphCallsPerRequest ? m.statementsPerRequest / m.subgraphCallsPerRequest : 0,
      ),
    ),
  );
  const rows: Row[] = [
    [
      "first start, with the territory import",
      "< 60 s",
      seeded.firstStartMs,
      (v) => `${(v / 1000).toFixed(1)} s`,
      (v) => v < 60_000,
    ],
    [
      "second start",
      "< 5 s",
      seeded.secondStartMs,
      (v) => `${(v / 1000).toFixed(1)} s`,
      (v) => v < 5_000,
    ],
    [
      '`territories(search: "lil")` p50 at the gateway, cache off',
      "< 20 ms",
      search?.p50Ms,
      ms,
      (v) => v < 20,
    ],
    ...RACED.flatMap((workload): Row[] => [
      [
        `${workload}: hub / Hive Gateway at its best, req/s`,
        "≥ 1.5×",
        quotient(of(workload, "hub")?.requestsPerSecond, of(workload, HIVE)?.requestsPerSecond),
        times,
        (v) => v >= 1.5,
      ],
      [
        `${workload}: hub p99 / Hive Gateway at its best p99`,
        "≤ 1.0×",
        quotient(of(workload, "hub")?.p99Ms, Math.max(of(workload, HIVE)?.p99Ms ?? 0, 1)),
        times,
        (v) => v <= 1,
      ],
      [
        `${workload}, every cache off: hub / Hive Gateway defaults, req/s`,
        "≥ 1.0×",
        quotient(
          of(workload, UNCACHED)?.requestsPerSecond,
          of(workload, HIVE_DEFAULTS)?.requestsPerSecond,
        ),
        times,
        (v) => v >= 1,
      ],
      [
        `${workload}, every cache off: hub p50 / direct calls p50`,
        "≤ 1.2×",
        quotient(of(workload, UNCACHED)?.p50Ms, Math.max(of(workload, "direct")?.p50Ms ?? 0, 1)),
        times,
        (v) => v <= 1.2,
      ],
    ]),
    [
      "longtail: hub / hub without its fetch cache, req/s",
      "≥ 2×",
      quotient(
        of("longtail", "hub")?.requestsPerSecond,
        of("longtail", NO_FETCH_CACHE)?.requestsPerSecond,
      ),
      times,
      (v) => v >= 2,
    ],
    [
      "revisit (pages expired, their parts not): hub / hub without its fetch cache, req/s",
      "(≥ 2×, as the long tail's)",
      quotient(
        of("revisit", "hub")?.requestsPerSecond,
        of("revisit", NO_FETCH_CACHE)?.requestsPerSecond,
      ),
      times,
      (v) => v >= 2,
    ],
    ...["longtail", "revisit"].map(
      (workload): Row => [
        `${workload}: subgraph calls per page, two workers sharing Redis / one gateway`,
        "≤ 1.1×",
        quotient(
          of(workload, WORKERS)?.subgraphCallsPerRequest,
          of(workload, "hub")?.subgraphCallsPerRequest,
        ),
        times,
        (v) => v <= 1.1,
      ],
    ),
    [
      "peak memory of the hub's gateway (one process) under load",
      "≤ 200 MB",
      hubPeak,
      (v) => `${v.toFixed(0)} MB`,
      (v) => v <= 200,
    ],
    [
      "the same / Hive Gateway's peak in this run",
      "≤ 0.33×",
      quotient(hubPeak, hivePeak),
      times,
      (v) => v <= 1 / 3,
    ],
    [
      `SQL statements / subgraph calls of the plan, the worst read workload (${READS.join(", ")}; direct, uncached)`,
      "≤ 1.00",
      statementsPerFetch || undefined,
      (v) => v.toFixed(2),
      (v) => Number(v.toFixed(2)) <= 1,
    ],
  ];
  return `| target | wanted | this run | |
|---|---|---|---|
${rows.map(([label, wanted, value, show, ok]) => `| ${label} | ${wanted} | ${value === undefined ? "–" : show(value)} | ${check(value === undefined ? undefined : ok(value))} |`).join("\n")}`;
}

const loadAverage = (load: number[]) => load.map((value) => value.toFixed(2)).join(", ");

/** What is above this line in docs/benchmarks.md is written by hand (method, findings) and kept. */
const MARKER = "<!-- Everything below is written by npm run bench. -->";

export function writeReport(
  path: string,
  sizes: SizeResults[],
  {
    seconds,
    driver,
    plot,
    loadAtStart,
  }: { seconds: number; driver: string; plot: string; loadAtStart: number[] },
): void {
  const existing = existsSync(path) ? readFileSync(path, "utf8") : "";
  const handWritten = existing.includes(MARKER)
    ? existing.slice(0, existing.indexOf(MARKER))
    : "# Benchmarks\n\n";
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? "CPU"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}`;
  const sections = sizes.map(
    (
      size,
    ) => `### ${size.size === "seeded" ? "Seeded data" : "At scale"}${size.generationMs ? ` (generated in ${(size.generationMs / 1000).toFixed(0)} s)` : ""}

${size.size === "seeded" ? `First start of \`hub start\` on the empty database (migrations, the territory import, the seed): ${(size.firstStartMs / 1000).toFixed(1)} s.` : `\`hub start\` on the generated database: ${(size.firstStartMs / 1000).toFixed(1)} s.`} Second start on the same database: ${(size.secondStartMs / 1000).toFixed(1)} s.

${measuresTable(size)}

${ratiosTable(size)}`,
  );
  writeFileSync(
    path,
    `${handWritten}${MARKER}

Produced by \`${sizes.some((s) => s.size === "scale") ? "npm run bench -- --scale" : "npm run bench"}\`${driver === "postgres" ? " with `DATABASE_URL` set (PostgreSQL)" : " (PGlite)"} on ${new Date().toISOString().slice(0, 10)}.
Machine: ${machine}, shared with other developers' test runs: load average (1, 5, 15 min) ${loadAverage(loadAtStart)} at the start, ${loadAverage(loadavg())} at the end. Each measured run lasts ${seconds} s after a warm-up (2 s, then every distinct read once).

![Requests per second per workload](${plot})

## Targets

${targetsTable(sizes)}

## Hive Gateway's configuration in this run

At its best (\`gateway.best.config.mjs\`, generated from the subgraphs' SDL in \`schema/subgraphs/\`):

\`\`\`js
${hiveConfig("best")}\`\`\`

With its defaults (\`gateway.defaults.config.mjs\`):

\`\`\`js
${hiveConfig("defaults")}\`\`\`

## Results

${sections.join("\n\n")}
`,
  );
}
