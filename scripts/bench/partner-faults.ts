import { randomBytes } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import { carpoolSdl, chainedSdl, startPartner } from "../../test/partner.js";
import type { BenchDatabase } from "./databases.js";
import { type LoadResult, type LoadRun, runGraphQL, summarize } from "./load.js";
import { hubPorts, runHub, spawnHub, temporaryDataDir, whenReady } from "./startup.js";

/** The partner's deadline in this workload: the page with the hanging partner should stay under it + 200 ms. */
const PARTNER_TIMEOUT_MS = 1000;
const WITH_PARTNER = `{ territory(id: "COMA:59355") { name parent { name } carpoolOffers { origin } } }`;
const WITHOUT_PARTNER = `{ territory(id: "COMA:59355") { name parent { name } } }`;
/**
 * What the partner does in each case. The hostile publications are the 1 MB chained SDL, sent
 * back to back, waiting only when a refusal says for how long (`RATE_LIMITED`): by the partner's
 * own key, which the partner's rate of changes holds, and by an admin key, which nothing does.
 */
const FAULTS = [
  "hanging",
  "failing",
  "hostile publication",
  "hostile publication by an admin",
] as const;
type Fault = (typeof FAULTS)[number];
/**
 * Each fault is measured in this many slices of the run's length, each right after a slice of
 * healthy partner, and the slices of each are pooled: over a run a gateway's p99 drifts (its heap,
 * its caches, the machine's other work) by as much as the target allows, and the p99 of a page of
 * some 20 ms moves by a third between identical 5 s runs on a shared machine.
 */
const ROUNDS = 5;
/**
 * The page with the partner's field is asked at this rate, each of its connections once a second
 * (the partner's deadline: a hanging partner delays none of its requests): a portal's
 * visitors do not come faster when a partner fails faster, and a closed loop would load the hub
 * more in the failing cases than in the healthy one.
 */
const WITH_PARTNER_RATE = 50;

export interface PartnerFaultsResult {
  case: "healthy" | Fault;
  withPartner: LoadResult;
  withoutPartner: LoadResult;
  /** The hostile publications' answers, by error code. */
  publications?: Record<string, number>;
}

/**
 * The "partner faults" workload: a page with a partner's field, asked at a steady rate, and one
 * without, asked by 5 clients as fast as it answers, loaded together through the hub while the
 * partner is healthy, hangs, answers 500, and while a hostile schema (1 MB of chained types) is
 * published over and over. The response cache is off: each page reaches the subgraphs.
 */
export async function benchPartnerFaults(
  basePort: number,
  seconds: number,
  database: BenchDatabase,
): Promise<PartnerFaultsResult[]> {
  const dataDir = temporaryDataDir();
  const env = {
    DATA_DIR: dataDir.path,
    ...database.env,
    HUB_IDENTITY_SECRET: randomBytes(32).toString("hex"),
    // The load comes from one address without a key; the partner's key keeps its limits.
    RATE_LIMIT_PER_ADDRESS: "1000000000",
    RESPONSE_CACHE: "off",
    PARTNER_TIMEOUT_MS: String(PARTNER_TIMEOUT_MS),
    ...hubPorts(basePort),
  };
  const adminKey = /^hub_\S+$/m.exec(
    await runHub(["key", "create", "--name", "bench admin", "--role", "admin"], env),
  )![0];
  const partner = await startPartner(carpoolSdl(), "127.0.0.1", basePort + 20);
  const hub = await whenReady(
    spawnHub(["start"], env, "partner-faults"),
    `http://127.0.0.1:${basePort}`,
    "/ready",
  );
  const admin = (token: string, body: string) =>
    fetch(`${hub.url}/admin/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body,
    }).then(
      (response) =>
        response.json() as Promise<{
          data?: { createPartner?: { token: string } };
          errors?: { extensions?: { code?: string; retryAfterSeconds?: number } }[];
        }>,
    );
  const publication = (sdl: string) =>
    JSON.stringify({
      query: `mutation($url: String!, $sdl: String) { publishSubgraph(name: "carpool", url: $url, sdl: $sdl) { version } }`,
      variables: { url: partner.url, sdl },
    });
  // Built once: the bench's own process sends the load and measures it, and must not stall on 1 MB.
  const hostilePublication = publication(chainedSdl());
  try {
    const created = await admin(
      adminKey,
      JSON.stringify({
        query: `mutation { createPartner(id: "covoit-coop", name: "Coopérative de covoiturage") { token } }`,
      }),
    );
    const partnerKey = created.data?.createPartner?.token;
    if (!partnerKey) throw new Error(`partner not created: ${JSON.stringify(created)}`);
    const published = await admin(partnerKey, publication(carpoolSdl()));
    if (published.errors) throw new Error(`carpool not published: ${JSON.stringify(published)}`);
    const publishers: Partial<Record<Fault, string>> = {
      "hostile publication": partnerKey,
      "hostile publication by an admin": adminKey,
    };
    const url = `${hub.url}/graphql`;
    const load = (seconds: number) =>
      Promise.all([
        runGraphQL(url, [{ query: WITH_PARTNER }], {
          connections: WITH_PARTNER_RATE,
          rate: WITH_PARTNER_RATE,
          seconds,
        }),
        runGraphQL(url, [{ query: WITHOUT_PARTNER }], { connections: 5, seconds }),
      ]);
    /** One slice of the case: the load, and the hostile publications' answers during it. */
    const slice = async (name: "healthy" | Fault, publications: Record<string, number>) => {
      const publisher = name === "healthy" ? undefined : publishers[name];
      partner.behave(name === "hanging" || name === "failing" ? name : "healthy");
      // The breaker the failing case opened answers for its cool-down: a healthy slice is measured
      // once the partner's field answers again, not while the hub still holds the last fault. The
      // load goes on meanwhile, unmeasured: an idle hub collects its heap, and the slice after a
      // pause would be measured on a tidier one than the slice after load.
      if (name === "healthy") while (!(await answered(url, WITH_PARTNER))) await load(1);
      const loading = new AbortController();
      const hostile = (async () => {
        while (publisher && !loading.signal.aborted) {
          const answer = await admin(publisher, hostilePublication);
          const refusal = answer.errors?.[0]?.extensions;
          const code = refusal?.code ?? "accepted";
          publications[code] = (publications[code] ?? 0) + 1;
          // Told to wait, it waits: what a partner makes the hub check is bounded by the hub's
          // limits; a flood of requests it refuses is the edge's rate limit to bound (by their
          // bytes), not the registry's.
          if (refusal?.retryAfterSeconds)
            await delay(refusal.retryAfterSeconds * 1000, undefined, {
              signal: loading.signal,
            }).catch(() => {});
        }
      })();
      const runs = await load(seconds);
      loading.abort();
      await hostile;
      return runs;
    };
    // Unmeasured: the first case would otherwise bear the compilation of every path it takes.
    await load(2);
    const results: PartnerFaultsResult[] = [];
    for (const fault of FAULTS) {
      const healthy: LoadRun[][] = [];
      const faulty: LoadRun[][] = [];
      const publications: Record<string, number> = {};
      for (let round = 0; round < ROUNDS; round++) {
        healthy.push(await slice("healthy", {}));
        faulty.push(await slice(fault, publications));
      }
      for (const [name, runs] of [
        ["healthy", healthy],
        [fault, faulty],
      ] as const) {
        const result: PartnerFaultsResult = {
          case: name,
          withPartner: summarize(
            url,
            runs.map(([w]) => w!),
          ),
          withoutPartner: summarize(
            url,
            runs.map(([, o]) => o!),
          ),
          ...(name === fault && fault.startsWith("hostile") ? { publications } : {}),
        };
        results.push(result);
        const { withPartner: w, withoutPartner: o } = result;
        console.log(
          `  partner ${name}: with its field p50 ${w.p50Ms} ms, p99 ${w.p99Ms} ms, ${w.errors} errors; without p50 ${o.p50Ms} ms, p99 ${o.p99Ms} ms, ${o.errors} errors${result.publications ? `; publications ${JSON.stringify(publications)}` : ""}`,
        );
      }
    }
    return results;
  } finally {
    await hub.stop();
    await partner.close();
    dataDir.remove();
  }
}

/** Whether the page comes back whole: the partner's field answered, its breaker closed. */
async function answered(url: string, query: string): Promise<boolean> {
  const answer = (await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query }),
  }).then((response) => response.json())) as { errors?: unknown[] };
  return !answer.errors;
}

/** The figures as the Markdown table of docs/benchmarks.md's "Partner faults" section. */
export function partnerFaultsTable(results: readonly PartnerFaultsResult[]): string {
  let healthy = 0;
  const rows = results.map(({ case: name, withPartner: w, withoutPartner: o, publications }) => {
    if (name === "healthy") healthy = o.p99Ms;
    const answers = Object.entries(publications ?? {})
      .map(([code, count]) => `${count} ${code}`)
      .join(", ");
    return `| ${name} | ${w.p50Ms} | ${w.p99Ms} | ${w.errors} / ${w.requests} | ${o.p50Ms} | ${o.p99Ms} (${(o.p99Ms / healthy).toFixed(2)}×) | ${o.errors} / ${o.requests} | ${answers} |`;
  });
  return [
    `| partner | with its field: p50 ms | p99 ms | errors / answers | without: p50 ms | p99 ms (× its healthy slices) | errors / answers | hostile publications answered |`,
    `| --- | --: | --: | --: | --: | --: | --: | --- |`,
    ...rows,
  ].join("\n");
}
