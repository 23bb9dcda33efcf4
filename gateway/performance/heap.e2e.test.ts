import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { gatewayExecArgv, MIN_HEAP_GROWTH_BYTES } from "./heap.js";

const run = promisify(execFile);
const heapModule = JSON.stringify(new URL("./heap.ts", import.meta.url).href);
/**
 * What this churn's scavenges promote between two checks of the limit (its observer is told of
 * collections after they happen): the same in bytes whatever the young generation's size, a
 * smaller one being scavenged more often.
 */
const PROMOTED_BETWEEN_CHECKS = 48 * 1024 * 1024;

/** Runs a module in a process of its own, on the Node that runs the suite, as a gateway is started. */
async function inProcess<Result>(source: string): Promise<Result> {
  const { stdout } = await run(process.execPath, [
    ...gatewayExecArgv([]),
    "--import",
    "tsx",
    "--input-type=module",
    "--eval",
    source,
  ]);
  return JSON.parse(stdout) as Result;
}

// Child processes on the Node version that runs the suite: `.ci/run` runs it on Node 20 and 24.
describe("the gateway's heap growth, in a process", () => {
  it("keeps a churning process's old generation near what it keeps alive", async () => {
    // ~45 MB kept, then objects that live long enough to reach the old generation, as under load.
    const { peak, kept } = await inProcess<{ peak: number; kept: number }>(`
      import { setImmediate as nextTurn } from "node:timers/promises";
      import { collectGarbage, limitHeapGrowthFromNow, oldGenerationBytes } from ${heapModule};
      const kept = Array.from({ length: 400_000 }, (_, i) => ({ id: i, name: "territoire " + i }));
      const stop = limitHeapGrowthFromNow({});
      const window = new Array(100_000);
      let peak = 0;
      for (let i = 0; i < 2_000_000; i++) {
        window[i % window.length] = { i, text: "réponse " + i, list: [i, i + 1] };
        if (i % 1000 === 0) { await nextTurn(); peak = Math.max(peak, oldGenerationBytes()); }
      }
      stop();
      collectGarbage();
      console.log(JSON.stringify({ peak, kept: kept.length && oldGenerationBytes() }));
    `);
    // V8 alone lets it reach several times what it keeps; the limit allows its growth, plus what
    // the scavenges between two of its checks promote.
    expect(peak).toBeLessThan(
      kept + Math.max(kept * 0.3, MIN_HEAP_GROWTH_BYTES) + PROMOTED_BETWEEN_CHECKS,
    );
  }, 120_000);

  it("collects without leaving gc among the process's globals", async () => {
    const { freed, gc } = await inProcess<{ freed: number; gc: string }>(`
      import { collectGarbage } from ${heapModule};
      let garbage = Array.from({ length: 300_000 }, (_, i) => ({ i })); garbage = null;
      const before = process.memoryUsage().heapUsed;
      collectGarbage();
      console.log(JSON.stringify({ freed: before - process.memoryUsage().heapUsed, gc: typeof globalThis.gc }));
    `);
    expect(freed).toBeGreaterThan(5 * 1024 * 1024);
    expect(gc).toBe("undefined");
  });
});
