import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { wholeNumber } from "../../lib/config.js";

/**
 * How much V8 lets the heap grow past what the last full collection kept, in percent.
 *
 * Measured on `hub gateway` (docs/benchmarks.md): after a full collection under load the gateway
 * keeps about 50 MB, yet its process peaked at 300 to 400 MB. The rest was garbage: with V8's
 * defaults on a machine with gigabytes of memory the next full collection waits until the old
 * space has grown up to four times what was kept. Capped at 30 % the peaks drop to 215-295 MB
 * (by up to 175 MB) and the requests per second stay within the noise of the bench. The heap has no lower ceiling
 * than before: a gateway that keeps more (a larger response cache) still gets the room it needs.
 */
export const DEFAULT_HEAP_GROWTH_PERCENT = 30;

/** `GATEWAY_HEAP_GROWTH`: a percent, or `0` for V8's own growth. */
export function readHeapGrowth(env: NodeJS.ProcessEnv = process.env): number {
  return wholeNumber(env, "GATEWAY_HEAP_GROWTH", DEFAULT_HEAP_GROWTH_PERCENT, 0);
}

/**
 * Applies the growth to this process. `--heap-growing-percent` is read by V8 at each full
 * collection, so setting it once the process runs takes effect from the next one: every way of
 * starting the gateway (`npm start`, `hub gateway`, each of `GATEWAY_WORKERS`) gets it without a
 * node flag to remember. V8 reads 0 as its own default.
 */
export function limitHeapGrowth(percent: number): void {
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}

/**
 * One full collection, once the gateway has started. V8 sets the old space's limit at each full
 * collection, and the last one before `limitHeapGrowth` was under V8's default growth (start-up
 * loads modules, composes the supergraph, migrates): until the next one the heap could still grow
 * to several times what start-up kept, and the first minutes under load were the gateway's peak.
 * `gc` is exposed to a context of its own, so that the process's globals stay as they were.
 */
export function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}

/**
 * For a process that serves the gateway, once it listens (`hub start`, `hub gateway`, each of
 * `GATEWAY_WORKERS`): the growth of `GATEWAY_HEAP_GROWTH`, from now on. A setting of the whole
 * process, so made where the process starts, not in `startGateway`, which tests call in theirs.
 */
export function limitHeapGrowthFromNow(env: NodeJS.ProcessEnv = process.env): void {
  const percent = readHeapGrowth(env);
  limitHeapGrowth(percent);
  if (percent > 0) collectGarbage();
}
