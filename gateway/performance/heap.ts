import { constants, PerformanceObserver } from "node:perf_hooks";
import { getHeapSpaceStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { wholeNumber } from "../../lib/config.js";

/**
 * How much the gateway lets its old generation grow past what the last full collection kept, in
 * percent, before it collects. The reasons and the figures are in docs/adr/0004.
 */
export const DEFAULT_HEAP_GROWTH_PERCENT = 30;

/** Below this, a growth is not worth a full collection: a small heap would be collected at every scavenge. */
export const MIN_HEAP_GROWTH_BYTES = 16 * 1024 * 1024;

/**
 * The Node option that bounds V8's young generation, on the command line of every gateway process
 * (`npm start`, `npm run hub`, each of `GATEWAY_WORKERS`). V8 reads it only when the heap is set
 * up, and from Node 22 on its default ceiling is several times Node 20's (16 MB). Half of Node 20's:
 * the reasons and the figures are in docs/adr/0004.
 */
export const YOUNG_GENERATION_OPTION = "--max-semi-space-size=8";

/** `GATEWAY_HEAP_GROWTH`: a percent, or `0` to leave the heap to V8. */
export function readHeapGrowth(env: NodeJS.ProcessEnv = process.env): number {
  return wholeNumber(env, "GATEWAY_HEAP_GROWTH", DEFAULT_HEAP_GROWTH_PERCENT, 0);
}

/** The Node options for a process that serves the gateway: `execArgv` with the young generation bounded. */
export function gatewayExecArgv(execArgv: readonly string[] = process.execArgv): string[] {
  const option = YOUNG_GENERATION_OPTION.split("=")[0]!;
  return execArgv.some((arg) => arg.startsWith(option))
    ? [...execArgv]
    : [...execArgv, YOUNG_GENERATION_OPTION];
}

/** Bytes in the old generation: every space of V8's heap but the young generation's. */
export function oldGenerationBytes(): number {
  let bytes = 0;
  for (const space of getHeapSpaceStatistics())
    if (!space.space_name.startsWith("new_")) bytes += space.space_used_size;
  return bytes;
}

/**
 * One full collection. `gc` is exposed to a context of its own, so that the process's globals stay
 * as they were.
 */
export function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}

export interface HeapGrowthLimitOptions {
  percent: number;
  /** What the heap holds now; `oldGenerationBytes` in a process. */
  measure: () => number;
  /** A full collection; `collectGarbage` in a process. */
  collect: () => void;
}

/**
 * The decision, apart from V8: `afterCollection` is told of every collection V8 or this limit ran,
 * and collects fully once the heap holds more than the last full collection kept plus `percent`.
 */
export function heapGrowthLimit({ percent, measure, collect }: HeapGrowthLimitOptions) {
  let kept = measure();
  const allowed = () => Math.max((kept * percent) / 100, MIN_HEAP_GROWTH_BYTES);
  return {
    /** What the last full collection kept. */
    get kept() {
      return kept;
    },
    afterCollection(full: boolean): void {
      if (full) kept = measure();
      else if (measure() - kept > allowed()) {
        collect();
        kept = measure();
      }
    },
  };
}

/**
 * For a process that serves the gateway, once it listens (`hub start`, `hub gateway`, each of
 * `GATEWAY_WORKERS`): one full collection, so that the growth counts from what the started gateway
 * keeps rather than from what start-up left, then the limit after every collection V8 reports. It
 * uses only public APIs (`gc` entries of perf_hooks, heap space statistics, `gc`), so it behaves
 * alike on every Node version, where V8's own growth flags do not. Returns what stops it.
 */
export function limitHeapGrowthFromNow(env: NodeJS.ProcessEnv = process.env): () => void {
  const percent = readHeapGrowth(env);
  if (percent === 0) return () => {};
  collectGarbage();
  const limit = heapGrowthLimit({ percent, measure: oldGenerationBytes, collect: collectGarbage });
  const observer = new PerformanceObserver((list) => {
    // A gc entry's `detail` is `{ kind, flags }` on every supported Node; @types/node 20 omits it.
    const entries = list.getEntries() as (PerformanceEntry & { detail?: { kind?: number } })[];
    limit.afterCollection(
      entries.some((entry) => entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR),
    );
  });
  observer.observe({ entryTypes: ["gc"] });
  return () => observer.disconnect();
}
