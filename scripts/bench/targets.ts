import { loadDirect, type SubgraphCall } from "./direct.js";
import { type GraphQLCall, type LoadOptions, type LoadResult, loadGraphQL } from "./load.js";
import type { StartedProcess } from "./startup.js";

/** Where a workload is sent: a gateway over HTTP, or the subgraphs themselves (the upper bound). */
export interface Target {
  name: string;
  /** The process whose memory is measured; none for the direct calls. */
  process?: StartedProcess;
  /** The /metrics endpoints whose `hub_database_statements_total` this target's requests raise. */
  statementSources: string[];
  /** The hub gateway's /metrics, whose `hub_subgraph_fetch_duration_seconds` counts its subgraph calls. */
  fetchSource?: string;
  /** The subgraph calls of the requests' plans, for a target with no gateway to count them. */
  plannedCallsPerRequest?(calls: readonly GraphQLCall[]): number;
  run(calls: readonly GraphQLCall[], options: LoadOptions): Promise<LoadResult>;
}

/** The hub's gateway with `RESPONSE_CACHE=off` and `FETCH_CACHE=off` (its deduplication on). */
export const UNCACHED = "hub, cache off";
/** The hub's gateway with `FETCH_CACHE=off`. */
export const NO_FETCH_CACHE = "hub, no fetch cache";
export const WORKERS = "hub, GATEWAY_WORKERS + Redis";
/** Hive Gateway with its response cache on the hub's cache hints, and its deduplication. */
export const HIVE = "Hive Gateway, at its best";
export const HIVE_DEFAULTS = "Hive Gateway, defaults";

export interface Measure extends LoadResult {
  target: string;
  peakMemoryMb: number | undefined;
  statementsPerRequest: number;
  /** Subgraph calls per request: the plan's (direct), or those the hub's gateway made. */
  subgraphCallsPerRequest?: number;
}

export function gatewayTarget(
  name: string,
  process: StartedProcess,
  statementSources: string[],
  fetchSource?: string,
): Target {
  return {
    name,
    process,
    statementSources,
    ...(fetchSource ? { fetchSource } : {}),
    run: (calls, options) => loadGraphQL(`${process.url}/graphql`, calls, options),
  };
}

/** Straight to the subgraphs: each call is replaced by its plan's recorded subgraph calls. */
export function directTarget(
  subgraphUrls: Record<string, string>,
  serviceToken: string,
  statementSources: string[],
  planOf: (call: GraphQLCall) => SubgraphCall[],
): Target {
  return {
    name: "direct",
    statementSources,
    run: (calls, options) => loadDirect(subgraphUrls, calls.map(planOf), serviceToken, options),
    plannedCallsPerRequest: (calls) =>
      calls.reduce((sum, call) => sum + planOf(call).length, 0) / calls.length,
  };
}

/**
 * The statement count once it stops moving: requests still under way when a run's time is up
 * (autocannon stops waiting for them) finish their SQL before the next run is counted.
 */
async function settledStatements(metricsUrls: readonly string[]): Promise<number> {
  let last = await countSoFar(metricsUrls, STATEMENTS);
  // Bounded: a background job (the bookings' expiry, every 5 minutes) may move it at any time.
  for (let attempt = 0; attempt < 20; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const now = await countSoFar(metricsUrls, STATEMENTS);
    if (now === last) return now;
    last = now;
  }
  return last;
}

const STATEMENTS = /^hub_database_statements_total (\d+(?:\.\d+)?)/gm;
const SUBGRAPH_CALLS = /^hub_subgraph_fetch_duration_seconds_count\{[^}]*\} (\d+)/gm;

/** The sum of a counter's series over some /metrics endpoints. */
async function countSoFar(metricsUrls: readonly string[], counter: RegExp): Promise<number> {
  let total = 0;
  for (const url of metricsUrls) {
    const text = await (await fetch(url)).text();
    for (const [, value] of text.matchAll(counter)) total += Number(value);
  }
  return total;
}

/**
 * One workload on one target: a warm-up (2 s, then each distinct read once, as a portal's pages
 * are each visited before a run starts, in the reverse of the run's order), `pauseSeconds` of nothing, then the measured run with its
 * peak memory and SQL statements.
 */
export async function measure(
  target: Target,
  calls: readonly GraphQLCall[],
  warmUp: readonly GraphQLCall[],
  options: LoadOptions & { pauseSeconds?: number },
): Promise<Measure> {
  await target.run(warmUp, { connections: options.connections, seconds: 2 });
  // Last visited first: the run starts on the freshest answers, however long the pass took (under
  // load, an uncached pass over the portal outlasts its pages' 30 s).
  const distinct = [
    ...new Map(warmUp.map((call) => [JSON.stringify(call), call])).values(),
  ].reverse();
  await target.run(distinct, {
    connections: Math.min(options.connections, distinct.length),
    seconds: 60,
    amount: distinct.length,
  });
  if (options.pauseSeconds)
    await new Promise((resolve) => setTimeout(resolve, options.pauseSeconds! * 1000));
  target.process?.resetPeakMemory();
  const before = await settledStatements(target.statementSources);
  const fetches = target.fetchSource ? [target.fetchSource] : [];
  const fetchesBefore = await countSoFar(fetches, SUBGRAPH_CALLS);
  const result = await target.run(calls, options);
  const statements = (await settledStatements(target.statementSources)) - before;
  const subgraphCalls = (await countSoFar(fetches, SUBGRAPH_CALLS)) - fetchesBefore;
  return {
    ...result,
    target: target.name,
    peakMemoryMb: target.process?.peakMemoryMb(),
    statementsPerRequest: result.sent ? statements / result.sent : 0,
    ...(target.fetchSource && result.sent
      ? { subgraphCallsPerRequest: subgraphCalls / result.sent }
      : target.plannedCallsPerRequest
        ? { subgraphCallsPerRequest: target.plannedCallsPerRequest(calls) }
        : {}),
  };
}
