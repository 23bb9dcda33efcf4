import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { type Measure, UNCACHED } from "./targets.js";

export interface WorkloadResults {
  workload: string;
  connections: number;
  measures: Measure[];
}

export interface SizeResults {
  size: "seeded" | "scale";
  territories: number;
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
        `| ${r.workload} (${r.connections} conn.) | ${m.target} | ${m.requestsPerSecond.toFixed(0)} | ${ms(m.p50Ms)} | ${ms(m.p99Ms)} | ${m.errors} / ${m.requests} | ${m.peakMemoryMb === undefined ? "–" : `${m.peakMemoryMb.toFixed(0)} MB`} | ${m.statementsPerRequest.toFixed(2)} | ${m.fetchesPerRequest?.toFixed(2) ?? ""} |`,
    ),
  );
  return `| workload | through | req/s | p50 | p99 | errors / requests | peak memory | SQL statements / request | subgraph calls / request |
|---|---|---|---|---|---|---|---|---|
${rows.join("\n")}`;
}

function ratiosTable(size: SizeResults): string {
  const rows = size.results.map((r) => {
    const hub = find(size, r.workload, "hub");
    const uncached = find(size, r.workload, UNCACHED);
    const workers = find(size, r.workload, "hub, GATEWAY_WORKERS");
    const hive = find(size, r.workload, "Hive Gateway");
    const direct = find(size, r.workload, "direct");
    return `| ${r.workload} | ${ratio(hub?.requestsPerSecond, hive?.requestsPerSecond)} | ${ratio(uncached?.requestsPerSecond, hive?.requestsPerSecond)} | ${ratio(workers?.requestsPerSecond, hive?.requestsPerSecond)} | ${ratio(hub?.requestsPerSecond, direct?.requestsPerSecond)} | ${ratio(hub?.p50Ms, direct?.p50Ms)} |`;
  });
  return `| workload | hub / Hive req/s | hub cache off / Hive req/s | hub workers / Hive req/s | hub / direct req/s | hub p50 / direct p50 |
|---|---|---|---|---|---|
${rows.join("\n")}`;
}

const READS = ["portal", "hot", "analyst", "search"];

/** The issue's targets, each with this run's figure and whether it is met. */
function targetsTable(sizes: SizeResults[]): string {
  const seeded = sizes.find((s) => s.size === "seeded")!;
  const scale = sizes.find((s) => s.size === "scale");
  const check = (ok: boolean | undefined) =>
    ok === undefined ? "not measured" : ok ? "met" : "**missed**";
  const rpsRatio = (workload: string) => {
    const hub = find(seeded, workload, "hub");
    const hive = find(seeded, workload, "Hive Gateway");
    return hub && hive ? hub.requestsPerSecond / hive.requestsPerSecond : undefined;
  };
  const portal = find(seeded, "portal", "hub");
  const direct = find(seeded, "portal", "direct");
  const uncachedPortal = find(seeded, "portal", UNCACHED);
  const peak = Math.max(
    ...sizes.flatMap((s) =>
      s.results.flatMap((r) =>
        r.measures
          .filter((m) => m.target === "hub" || m.target === UNCACHED)
          .map((m) => m.peakMemoryMb ?? 0),
      ),
    ),
  );
  const search = find(seeded, "search", UNCACHED);
  // Reads only: a write's transaction (begin, lock, insert, commit) is several statements by nature.
  const statementsPerFetch = Math.max(
    ...sizes.flatMap((s) =>
      READS.map((workload) => find(s, workload, "direct")).map((m) =>
        m?.fetchesPerRequest ? m.statementsPerRequest / m.fetchesPerRequest : 0,
      ),
    ),
  );
  const rows = [
    [
      "first start, with the territory import",
      "< 60 s",
      seeded.firstStartMs,
      (v: number) => `${(v / 1000).toFixed(1)} s`,
      (v: number) => v < 60_000,
    ],
    [
      "second start",
      "< 5 s",
      seeded.secondStartMs,
      (v: number) => `${(v / 1000).toFixed(1)} s`,
      (v: number) => v < 5_000,
    ],
    [
      '`territories(search: "lil")` p50 at the gateway, cache off',
      "< 20 ms",
      search?.p50Ms,
      (v: number) => ms(v),
      (v: number) => v < 20,
    ],
    [
      "portal: hub / Hive Gateway req/s",
      "≥ 1.0×",
      rpsRatio("portal"),
      (v: number) => `${v.toFixed(2)}×`,
      (v: number) => v >= 1,
    ],
    [
      "hot: hub / Hive Gateway req/s",
      "≥ 3×",
      rpsRatio("hot"),
      (v: number) => `${v.toFixed(2)}×`,
      (v: number) => v >= 3,
    ],
    [
      "portal p50: hub / sum of the plan's direct calls",
      "≤ 1.5×",
      portal && direct ? portal.p50Ms / Math.max(direct.p50Ms, 1) : undefined,
      (v: number) => `${v.toFixed(2)}×`,
      (v: number) => v <= 1.5,
    ],
    [
      "the same, hub with its cache off",
      "≤ 1.5×",
      uncachedPortal && direct ? uncachedPortal.p50Ms / Math.max(direct.p50Ms, 1) : undefined,
      (v: number) => `${v.toFixed(2)}×`,
      (v: number) => v <= 1.5,
    ],
    [
      "peak memory of the hub's gateway (one process) under load",
      "≤ 300 MB",
      peak,
      (v: number) => `${v.toFixed(0)} MB`,
      (v: number) => v <= 300,
    ],
    [
      "at scale: portal p50 through the hub",
      "≤ 50 ms",
      scale && find(scale, "portal", "hub")?.p50Ms,
      (v: number) => ms(v),
      (v: number) => v <= 50,
    ],
    [
      "at scale: stats p50 through the hub",
      "≤ 150 ms",
      scale && find(scale, "analyst", "hub")?.p50Ms,
      (v: number) => ms(v),
      (v: number) => v <= 150,
    ],
    [
      "at scale: stats p50, hub with its cache off",
      "≤ 150 ms",
      scale && find(scale, "analyst", UNCACHED)?.p50Ms,
      (v: number) => ms(v),
      (v: number) => v <= 150,
    ],
    [
      `SQL statements / subgraph calls of the plan, the worst read workload (${READS.join(", ")}; direct, uncached)`,
      "≤ 1.00",
      statementsPerFetch || undefined,
      (v: number) => v.toFixed(2),
      (v: number) => Number(v.toFixed(2)) <= 1,
    ],
  ] as const;
  return `| target | wanted | this run | |
|---|---|---|---|
${rows.map(([label, wanted, value, show, ok]) => `| ${label} | ${wanted} | ${value === undefined ? "–" : show(value)} | ${check(value === undefined ? undefined : ok(value))} |`).join("\n")}`;
}

/** What is above this line in docs/benchmarks.md is written by hand (method, findings) and kept. */
const MARKER = "<!-- Everything below is written by npm run bench. -->";

export function writeReport(
  path: string,
  sizes: SizeResults[],
  { seconds, driver, plot }: { seconds: number; driver: string; plot: string },
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
Machine: ${machine}, shared with other developers' test runs. Each measured run lasts ${seconds} s after a warm-up (2 s, then every distinct read once).

![Requests per second per workload](${plot})

## Targets

${targetsTable(sizes)}

## Results

${sections.join("\n\n")}
`,
  );
}
