import { writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { loadGraphQL } from "./load.js";
import { startHubProcess, temporaryDataDir } from "./startup.js";

/**
 * `npm run bench`: measures the hub as a user runs it and writes docs/benchmarks.md.
 * Targets (issue "foundation"): second start on PGlite < 5 s, first start with the territory
 * import < 60 s, `territories(search: "lil")` p50 at the gateway < 20 ms.
 */
const BASE_PORT = 4600;
const SEARCH_QUERY = `{ territories(search: "lil", first: 10) { totalCount nodes { id name } } }`;

function line(label: string, value: string, target: string): string {
  return `| ${label} | ${value} | ${target} |`;
}

async function main(): Promise<void> {
  const dataDir = temporaryDataDir();
  const rows: string[] = [];
  try {
    console.log("1/3 first start on an empty PGlite directory (migrations + territory import)");
    const first = await startHubProcess({ DATA_DIR: dataDir.path }, BASE_PORT);
    await first.stop();
    rows.push(line("first start, PGlite, with the territory import", `${(first.readyAfterMs / 1000).toFixed(1)} s`, "< 60 s"));

    console.log("2/3 second start on the same directory");
    const second = await startHubProcess({ DATA_DIR: dataDir.path }, BASE_PORT);
    rows.push(line("second start, PGlite", `${(second.readyAfterMs / 1000).toFixed(1)} s`, "< 5 s"));

    console.log("3/3 territories(search: \"lil\") at the gateway, 1 connection, 10 s");
    await loadGraphQL(`${second.gatewayUrl}/graphql`, SEARCH_QUERY, { seconds: 2 }); // warm-up
    const search = await loadGraphQL(`${second.gatewayUrl}/graphql`, SEARCH_QUERY, { seconds: 10 });
    await second.stop();
    rows.push(
      line(
        "`territories(search: \"lil\")` at the gateway",
        `p50 ${search.p50Ms} ms, p99 ${search.p99Ms} ms, ${search.requestsPerSecond.toFixed(0)} req/s, ${search.errors} errors`,
        "p50 < 20 ms",
      ),
    );
  } finally {
    dataDir.remove();
  }

  const machine = `${cpus().length} × ${cpus()[0]?.model ?? "CPU"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  const report = `# Benchmarks

Produced by \`npm run bench\` (scripts/bench/index.ts) on ${new Date().toISOString().slice(0, 10)}.
Machine: ${machine}. The hub runs as \`npm start\` runs it (tsx, one process, PGlite in a fresh
temporary directory); load from autocannon in the same process tree. Figures are from one run on
a shared machine: compare ratios across runs rather than absolute values.

## Start-up and search (foundation)

| measure | result | target |
|---|---|---|
${rows.join("\n")}
`;
  writeFileSync("docs/benchmarks.md", report);
  console.log(`\n${rows.join("\n")}\n\nwritten to docs/benchmarks.md`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
