import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { type Identity, signIdentity, signServiceToken } from "../../lib/identity.js";
import { type BenchDatabase, benchDatabases } from "./databases.js";
import { recordPlans, type SubgraphCall } from "./direct.js";
import { installHiveGateway, startHiveGateway } from "./hive.js";
import type { GraphQLCall } from "./load.js";
import { benchPartnerFaults, partnerFaultsTable } from "./partner-faults.js";
import { plotUnavailable, renderPlot } from "./plot.js";
import { type SizeResults, type WorkloadResults, writeReport } from "./report.js";
import { generateScaleData, SCALE } from "./scale.js";
import { hubPorts, runHub, type StartedProcess, spawnHub, whenReady } from "./startup.js";
import {
  directTarget,
  gatewayTarget,
  HIVE,
  HIVE_DEFAULTS,
  measure,
  NO_FETCH_CACHE,
  type Target,
  UNCACHED,
  WORKERS,
} from "./targets.js";
import {
  type BenchData,
  BORROWER,
  benchTerritories,
  CUSTOMER,
  communesOf,
  mutationSubgraph,
  shuffled,
  WORKLOADS,
  type Writer,
  writeMaterial,
} from "./workloads.js";

/**
 * `npm run bench`: the hub's workloads through the hub's gateway, through Hive Gateway serving the
 * same supergraph, and straight to the subgraphs, in one run; written to docs/benchmarks.md and
 * docs/benchmarks.png. `-- --scale` adds the same at 100,000 products, 500,000 appointments and
 * 5,000 repairers. `-- --seconds N` sets each measured run's length.
 *
 * For work on one figure: `--workloads portal,longtail` and `--targets hub,uncached,hive,direct`
 * (see TARGET_KEYS and WORKLOADS) keep only those (a partial run prints its figures and leaves docs/
 * alone), `--only-scale` skips the seeded size, and `--port N` moves the bench's ports (4600 by
 * default) so that two runs can share a machine.
 */
const SUBGRAPHS = ["directory", "exchanges", "bookings", "engagements"];
const TARGET_KEYS = [
  "hub",
  "no-fetch-cache",
  "uncached",
  "workers",
  "hive",
  "hive-defaults",
  "direct",
] as const;
const WORKLOAD_NAMES = [...WORKLOADS.map((workload) => workload.name), "partner-faults"];
type TargetKey = (typeof TARGET_KEYS)[number];
/** The direct target replays recorded plans: the long tail's first pages are enough for its run. */
const RECORDED_PER_WORKLOAD = 500;

interface Selection {
  seconds: number;
  basePort: number;
  workloads: string[] | undefined;
  targets: Set<TargetKey>;
}

const listOption = (value: string | undefined) =>
  value
    ?.split(",")
    .map((item) => item.trim())
    .filter(Boolean);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scale: { type: "boolean" },
      "only-scale": { type: "boolean" },
      seconds: { type: "string", default: "5" },
      workloads: { type: "string" },
      targets: { type: "string" },
      port: { type: "string", default: "4600" },
    },
  });
  const targets = listOption(values.targets) ?? [...TARGET_KEYS];
  const unknown = targets.filter((key) => !(TARGET_KEYS as readonly string[]).includes(key));
  if (unknown.length)
    throw new Error(
      `unknown targets ${unknown.join(", ")}: choose among ${TARGET_KEYS.join(", ")}`,
    );
  const unknownWorkloads = (listOption(values.workloads) ?? []).filter(
    (name) => !WORKLOAD_NAMES.includes(name),
  );
  if (unknownWorkloads.length)
    throw new Error(
      `unknown workloads ${unknownWorkloads.join(", ")}: choose among ${WORKLOAD_NAMES.join(", ")}`,
    );
  const selection: Selection = {
    seconds: Number(values.seconds),
    basePort: Number(values.port),
    workloads: listOption(values.workloads),
    targets: new Set(targets as TargetKey[]),
  };
  const partial =
    selection.workloads !== undefined ||
    selection.targets.size < TARGET_KEYS.length ||
    values["only-scale"] === true;
  // A full run ends by drawing its plot: better refused now than after twenty minutes of measures.
  const noPlot = partial ? null : plotUnavailable();
  if (noPlot) throw new Error(noPlot);
  const hiveBin =
    selection.targets.has("hive") || selection.targets.has("hive-defaults")
      ? installHiveGateway()
      : undefined;
  const loadAtStart = loadavg();
  const databases = await benchDatabases(process.env.DATABASE_URL);
  const sizes: SizeResults[] = [];
  try {
    const onlyPartnerFaults = selection.workloads?.every((name) => name === "partner-faults");
    if (!values["only-scale"] && !onlyPartnerFaults)
      sizes.push(await benchOneSize("seeded", databases.seeded, hiveBin, selection));
    if (!selection.workloads || selection.workloads.includes("partner-faults")) {
      console.log(
        "\n[partner faults] a partner healthy, hanging, failing, and a hostile publication",
      );
      const faults = await benchPartnerFaults(
        selection.basePort + 40,
        selection.seconds,
        databases.seeded,
      );
      console.log(partnerFaultsTable(faults));
    }
    if (values.scale || values["only-scale"]) {
      console.log(
        `\ngenerating the scale data: ${SCALE.products} products, ${SCALE.appointments} appointments, ${SCALE.repairers} repairers`,
      );
      const generationMs = await generateScaleData(databases.scaled);
      sizes.push({
        ...(await benchOneSize("scale", databases.scaled, hiveBin, selection)),
        generationMs,
      });
    }
  } finally {
    await databases.remove();
  }
  console.log(
    `\nload average: ${loadavg()
      .map((value) => value.toFixed(2))
      .join(", ")}`,
  );
  if (partial) {
    console.log(
      "\na partial run: docs/benchmarks.md and docs/benchmarks.png are left as they were",
    );
    return;
  }
  const plot = await renderPlot(sizes, "docs/benchmarks.png");
  writeReport("docs/benchmarks.md", sizes, {
    seconds: selection.seconds,
    driver: databases.driver,
    plot,
    loadAtStart,
  });
  // Its tables laid out as the format check (`npm run check`) wants them.
  execFileSync("npx", ["biome", "format", "--write", "docs/benchmarks.md"], { stdio: "ignore" });
  console.log("\nwritten to docs/benchmarks.md and docs/benchmarks.png");
}

async function benchOneSize(
  size: SizeResults["size"],
  database: BenchDatabase,
  hiveBin: string | undefined,
  selection: Selection,
): Promise<SizeResults> {
  const { seconds, basePort: BASE_PORT } = selection;
  const wanted = (key: TargetKey) => selection.targets.has(key);
  const secret = randomBytes(32).toString("hex");
  // The subgraphs answer the bench's own calls (direct target, plan recording, Hive Gateway) by this token.
  const serviceToken = await signServiceToken("bench", new TextEncoder().encode(secret));
  const env = {
    ...database.env,
    HUB_IDENTITY_SECRET: secret,
    RATE_LIMIT_PER_ADDRESS: "1000000000",
    RATE_LIMIT_PER_KEY: "1000000000",
    // Nothing is published during a run: the registry's background polling would only add
    // statements that belong to no request, and keep the statement count from settling.
    REGISTRY_POLL_MS: "3600000",
  };
  const processes: StartedProcess[] = [];
  try {
    console.log(`\n[${size}] the subgraphs (hub start, one process)`);
    const host = await whenReady(
      spawnHub(["start"], { ...env, ...database.subgraphEnv, ...hubPorts(BASE_PORT) }, "subgraphs"),
      `http://127.0.0.1:${BASE_PORT}`,
      "/ready",
    );
    processes.push(host);
    const subgraphUrls = Object.fromEntries(
      SUBGRAPHS.map((name, i) => [name, `http://127.0.0.1:${BASE_PORT + 1 + i}/graphql`]),
    );
    const urlEnv = Object.fromEntries(
      SUBGRAPHS.map((name) => [`${name.toUpperCase()}_URL`, subgraphUrls[name]!]),
    );

    const keyOf = async (name: string, role: string, actsFor: Identity["actsFor"]) => {
      const output = await runHub(
        [
          "key",
          "create",
          "--name",
          name,
          "--role",
          role,
          "--for",
          `${actsFor!.kind}:${actsFor!.id}`,
        ],
        { ...env, ...database.gatewayEnv },
      );
      return { authorization: `Bearer ${/^hub_\S+$/m.exec(output)![0]}` };
    };
    const hubWriter: Writer = {
      customer: await keyOf("bench customer", "customer", CUSTOMER),
      member: await keyOf("bench member", "exchange_member", BORROWER),
    };
    // Before any gateway holds the keys' database.
    const copies = Object.fromEntries(
      (["no-fetch-cache", "uncached"] as const)
        .filter(wanted)
        .map((key) => [key, database.otherGatewayEnv(key)]),
    );

    const gatewayEnv = { ...env, ...database.gatewayEnv, ...urlEnv };
    const startGateway = async (name: string, port: number, extraEnv: Record<string, string>) => {
      const started = await whenReady(
        spawnHub(["gateway"], { ...gatewayEnv, ...extraEnv, PORT: String(port) }, name),
        `http://127.0.0.1:${port}`,
        "/ready",
      );
      processes.push(started);
      return started;
    };
    console.log(`[${size}] the hub's gateways (hub gateway, one process each)`);
    const hub = wanted("hub") ? await startGateway("hub", BASE_PORT + 10, {}) : undefined;
    // Each cache off in turn: what the fetch cache buys, then @apollo/gateway with the fetch deduplication alone.
    const noFetchCache = wanted("no-fetch-cache")
      ? await startGateway("hub-no-fetch-cache", BASE_PORT + 15, {
          ...copies["no-fetch-cache"],
          FETCH_CACHE: "off",
        })
      : undefined;
    const uncached = wanted("uncached")
      ? await startGateway("hub-uncached", BASE_PORT + 13, {
          ...copies.uncached,
          RESPONSE_CACHE: "off",
          FETCH_CACHE: "off",
        })
      : undefined;
    const workers =
      wanted("workers") && database.sharedByProcesses
        ? await startGateway("hub-workers", BASE_PORT + 11, {
            GATEWAY_WORKERS: "auto",
            REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
          })
        : undefined;

    const supergraph = readFileSync("schema/supergraph.graphql", "utf8").replace(
      /url: "http:\/\/localhost:(\d+)\/graphql"/g,
      (_match, port: string) =>
        `url: "http://127.0.0.1:${BASE_PORT + Number(port) - 4000}/graphql"`,
    );
    let hive: StartedProcess | undefined;
    let hiveDefaults: StartedProcess | undefined;
    if (hiveBin && wanted("hive")) {
      console.log(`[${size}] Hive Gateway at its best on the same supergraph`);
      hive = await startHiveGateway(hiveBin, supergraph, BASE_PORT + 12, "best", serviceToken);
      processes.push(hive);
    }
    if (hiveBin && wanted("hive-defaults")) {
      console.log(`[${size}] Hive Gateway with its defaults on the same supergraph`);
      hiveDefaults = await startHiveGateway(
        hiveBin,
        supergraph,
        BASE_PORT + 14,
        "defaults",
        serviceToken,
      );
      processes.push(hiveDefaults);
    }

    const query = async <T>(text: string): Promise<T> => {
      const response = (await (
        await fetch(`${host.url}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ query: text }),
        })
      ).json()) as { data: T; errors?: unknown };
      if (response.errors) throw new Error(JSON.stringify(response.errors));
      return response.data;
    };
    console.log(`[${size}] workloads from the data`);

    // Hive Gateway and the direct calls carry the identity the hub would sign: they cannot read its API keys.
    const signed = async (identity: Identity) => ({
      "x-hub-identity": await signIdentity(identity, new TextEncoder().encode(secret)),
    });
    const material = await writeMaterial(query);
    const targetCount = () => targets.length;
    const data: BenchData = {
      territories: await benchTerritories(query),
      communes: shuffled(await communesOf(query)),
      material,
      hubWriter,
      // Signed just before this target's run: a signed identity lives a minute, and the runs
      // before it (uncached warm-ups at scale) can take longer than that.
      signedFor: async (target, calls) => {
        if (target.name.startsWith("hub")) return calls;
        const customer = await signed({ role: "customer", subject: "bench", actsFor: CUSTOMER });
        const member = await signed({
          role: "exchange_member",
          subject: "bench",
          actsFor: BORROWER,
        });
        return calls.map((call) =>
          call.headers === hubWriter.customer
            ? { ...call, headers: customer }
            : call.headers === hubWriter.member
              ? { ...call, headers: member }
              : call,
        );
      },
      // Each target gets its share of the free slots, enough for a few thousand requests.
      writeShare: (target) =>
        Math.floor(material.slots.length / (targetCount() - targets.indexOf(target))),
    };
    console.log(`[${size}] ${data.communes.length} communes for the long tail`);

    const plans = new Map<string, SubgraphCall[]>();
    const recordPlansOf = async (calls: readonly GraphQLCall[]) => {
      const missing = calls.filter((call) => !mutationSubgraph(call) && !plans.has(callKey(call)));
      const recorded = await recordPlans(supergraph, subgraphUrls, missing, serviceToken);
      for (const [i, call] of missing.entries()) plans.set(callKey(call), recorded[i]!);
    };
    const hostMetrics = `${host.url}/metrics`;
    const planOf = (call: GraphQLCall): SubgraphCall[] => {
      const subgraph = mutationSubgraph(call);
      if (subgraph)
        return [
          {
            subgraph,
            body: JSON.stringify({ query: call.query, variables: call.variables }),
            headers: call.headers,
          },
        ];
      return plans.get(callKey(call))!;
    };

    const workloads = WORKLOADS.filter(
      (workload) => !selection.workloads || selection.workloads.includes(workload.name),
    );
    const gateway = (name: string, started: StartedProcess) =>
      gatewayTarget(
        name,
        started,
        [hostMetrics, `${started.url}/metrics`],
        `${started.url}/metrics`,
      );
    const targets: Target[] = [
      ...(hub ? [gateway("hub", hub)] : []),
      ...(noFetchCache ? [gateway(NO_FETCH_CACHE, noFetchCache)] : []),
      ...(uncached ? [gateway(UNCACHED, uncached)] : []),
      ...(workers ? [gateway(WORKERS, workers)] : []),
      ...(hive ? [gatewayTarget(HIVE, hive, [hostMetrics])] : []),
      ...(hiveDefaults ? [gatewayTarget(HIVE_DEFAULTS, hiveDefaults, [hostMetrics])] : []),
      ...(wanted("direct")
        ? [directTarget(subgraphUrls, serviceToken, [hostMetrics], planOf)]
        : []),
    ];
    const results: WorkloadResults[] = [];
    for (const workload of workloads) {
      const row: WorkloadResults = {
        workload: workload.name,
        connections: workload.connections,
        measures: [],
      };
      for (const target of targets) {
        let calls = await workload.calls(data, target);
        let warmUp = (workload.warmUp?.(data) ?? calls).filter((call) => !mutationSubgraph(call));
        if (target.name === "direct") {
          calls = calls.slice(0, RECORDED_PER_WORKLOAD);
          warmUp = warmUp.slice(0, RECORDED_PER_WORKLOAD);
          await recordPlansOf([...calls, ...warmUp]);
        }
        console.log(
          `[${size}] ${workload.name} → ${target.name}, ${workload.connections} connections, ${workload.once ? `${calls.length} requests` : `${seconds} s`}`,
        );
        const result = await measure(target, calls, warmUp, {
          connections: workload.connections,
          seconds,
          ...(workload.pauseSeconds ? { pauseSeconds: workload.pauseSeconds } : {}),
          ...(workload.once ? { amount: calls.length } : {}),
        });
        console.log(
          `    ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, ${result.errors} errors, ${result.statementsPerRequest.toFixed(2)} SQL/request${result.subgraphCallsPerRequest === undefined ? "" : `, ${result.subgraphCallsPerRequest.toFixed(2)} subgraph calls/request`}${result.peakMemoryMb === undefined ? "" : `, peak ${result.peakMemoryMb.toFixed(0)} MB`}`,
        );
        row.measures.push(result);
      }
      results.push(row);
    }
    // A second start on the same database: migrations and seeds find nothing to do.
    console.log(`[${size}] the subgraphs again, on the same database`);
    await processes.splice(processes.indexOf(host), 1)[0]!.stop();
    const restarted = await whenReady(
      spawnHub(["start"], { ...env, ...database.subgraphEnv, ...hubPorts(BASE_PORT) }, "subgraphs"),
      `http://127.0.0.1:${BASE_PORT}`,
      "/ready",
    );
    processes.push(restarted);
    console.log(
      `[${size}] first start ${(host.readyAfterMs / 1000).toFixed(1)} s, second start ${(restarted.readyAfterMs / 1000).toFixed(1)} s`,
    );
    return {
      size,
      results,
      territories: data.territories.length,
      communes: data.communes.length,
      firstStartMs: host.readyAfterMs,
      secondStartMs: restarted.readyAfterMs,
    };
  } finally {
    for (const started of processes.reverse()) await started.stop();
  }
}

const callKey = (call: GraphQLCall) => JSON.stringify([call.query, call.variables ?? {}]);

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
