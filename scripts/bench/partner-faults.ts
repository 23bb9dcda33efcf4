import { randomBytes } from "node:crypto";
import { carpoolSdl, chainedSdl, type PartnerBehaviour, startPartner } from "../../test/partner.js";
import { type LoadResult, loadGraphQL } from "./load.js";
import { hubPorts, runHub, spawnHub, temporaryDataDir, whenReady } from "./startup.js";

/** The partner's deadline in this workload: the page with the hanging partner should stay under it + 200 ms. */
const PARTNER_TIMEOUT_MS = 1000;
const WITH_PARTNER = `{ territory(id: "COMA:59355") { name parent { name } carpoolOffers { origin } } }`;
const WITHOUT_PARTNER = `{ territory(id: "COMA:59355") { name parent { name } } }`;
/**
 * Each fault is measured right after a healthy case, its reference: over a run, a gateway's p99
 * drifts (its heap, its caches) by as much as the target allows.
 */
const CASES = [
  "healthy",
  "hanging",
  "healthy",
  "failing",
  "healthy",
  "hostile publication",
] as const;
/**
 * Each case is measured this many times the bench's run length: its figure is the p99 of a page
 * of some 20 ms, which moves by a third between identical 5 s runs on a shared machine.
 */
const CASE_LENGTH = 3;
/**
 * The page with the partner's field is asked at this rate, each of its connections once a second
 * (the partner's deadline: a hanging partner delays none of its requests): a portal's
 * visitors do not come faster when a partner fails faster, and a closed loop would load the hub
 * more in the failing cases than in the healthy one.
 */
const WITH_PARTNER_RATE = 50;

export interface PartnerFaultsResult {
  case: (typeof CASES)[number];
  withPartner: LoadResult;
  withoutPartner: LoadResult;
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
): Promise<PartnerFaultsResult[]> {
  const dataDir = temporaryDataDir();
  const env = {
    DATA_DIR: dataDir.path,
    HUB_IDENTITY_SECRET: randomBytes(32).toString("hex"),
    RATE_LIMIT_PER_ADDRESS: "1000000000",
    RATE_LIMIT_PER_KEY: "1000000000",
    RESPONSE_CACHE: "off",
    PARTNER_TIMEOUT_MS: String(PARTNER_TIMEOUT_MS),
    ...hubPorts(basePort),
  };
  const key = /^hub_\S+$/m.exec(
    await runHub(["key", "create", "--name", "bench admin", "--role", "admin"], env),
  )![0];
  const partner = await startPartner(carpoolSdl(), "127.0.0.1", basePort + 20);
  const hub = await whenReady(
    spawnHub(["start"], env, "partner-faults"),
    `http://127.0.0.1:${basePort}`,
    "/ready",
  );
  const publication = (sdl: string) =>
    JSON.stringify({
      query: `mutation($url: String!, $sdl: String) { publishSubgraph(name: "carpool", url: $url, sdl: $sdl) { version } }`,
      variables: { url: partner.url, sdl },
    });
  // Built once: the bench's own process sends the load and measures it, and must not stall on 1 MB.
  const hostilePublication = publication(chainedSdl());
  const publish = (body: string) =>
    fetch(`${hub.url}/admin/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body,
    }).then((response) => response.json() as Promise<{ errors?: unknown[] }>);
  try {
    const published = await publish(publication(carpoolSdl()));
    if (published.errors) throw new Error(`carpool not published: ${JSON.stringify(published)}`);
    const results: PartnerFaultsResult[] = [];
    const url = `${hub.url}/graphql`;
    const load = (seconds: number) =>
      Promise.all([
        loadGraphQL(url, [{ query: WITH_PARTNER }], {
          connections: WITH_PARTNER_RATE,
          rate: WITH_PARTNER_RATE,
          seconds,
        }),
        loadGraphQL(url, [{ query: WITHOUT_PARTNER }], { connections: 5, seconds }),
      ]);
    // Unmeasured: the first case would otherwise bear the compilation of every path it takes.
    await load(2);
    for (const name of CASES) {
      const behaviour = (name === "hostile publication" ? "healthy" : name) as PartnerBehaviour;
      partner.behave(behaviour);
      // The breaker the failing case opened answers for its cool-down: a healthy case is measured
      // once the partner's field answers again, not while the hub still holds the last fault.
      if (behaviour === "healthy") await untilAnswered(url, WITH_PARTNER);
      let loading = true;
      const hostile = (async () => {
        while (name === "hostile publication" && loading) await publish(hostilePublication);
      })();
      const [withPartner, withoutPartner] = await load(seconds * CASE_LENGTH);
      loading = false;
      await hostile;
      results.push({ case: name, withPartner, withoutPartner });
      console.log(
        `  partner ${name}: with its field p50 ${withPartner.p50Ms} ms, p99 ${withPartner.p99Ms} ms, ${withPartner.errors} errors; without p50 ${withoutPartner.p50Ms} ms, p99 ${withoutPartner.p99Ms} ms, ${withoutPartner.errors} errors`,
      );
    }
    return results;
  } finally {
    await hub.stop();
    await partner.close();
    dataDir.remove();
  }
}

async function untilAnswered(url: string, query: string): Promise<void> {
  for (;;) {
    const answer = (await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query }),
    }).then((response) => response.json())) as { errors?: unknown[] };
    if (!answer.errors) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** The figures as the Markdown table of docs/benchmarks.md's "Partner faults" section. */
export function partnerFaultsTable(results: readonly PartnerFaultsResult[]): string {
  let healthy = 0;
  const rows = results.map(({ case: name, withPartner: w, withoutPartner: o }) => {
    if (name === "healthy") healthy = o.p99Ms;
    return `| ${name} | ${w.p50Ms} | ${w.p99Ms} | ${w.errors} / ${w.requests} | ${o.p50Ms} | ${o.p99Ms} (${(o.p99Ms / healthy).toFixed(2)}×) | ${o.errors} / ${o.requests} |`;
  });
  return [
    `| partner | with its field: p50 ms | p99 ms | errors / answers | without: p50 ms | p99 ms (× the healthy case before) | errors / answers |`,
    `| --- | --: | --: | --: | --: | --: | --: |`,
    ...rows,
  ].join("\n");
}
