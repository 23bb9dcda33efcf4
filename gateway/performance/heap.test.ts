import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { DEFAULT_HEAP_GROWTH_PERCENT, readHeapGrowth } from "./heap.js";

const run = promisify(execFile);

/**
 * A process that keeps ~40 MB and churns objects that live long enough to reach the old space,
 * as a gateway under load does; prints the largest heap it saw, in MB. `started` is a full
 * collection under V8's default growth once the 40 MB are there, as start-up ends with.
 */
const churn = (percent: number | undefined, { started = false, collectAfter = false } = {}) => `
  import { getHeapStatistics } from "node:v8";
  import { collectGarbage, limitHeapGrowth } from ${JSON.stringify(new URL("./heap.ts", import.meta.url).href)};
  const kept = Array.from({ length: 400_000 }, (_, i) => ({ id: i, name: "territoire " + i }));
  ${started ? "collectGarbage();" : ""}
  ${percent === undefined ? "" : `limitHeapGrowth(${percent});`}
  ${collectAfter ? "collectGarbage();" : ""}
  const window = new Array(100_000);
  let peak = 0;
  for (let i = 0; i < 2_000_000; i++) {
    window[i % window.length] = { i, text: "réponse " + i, list: [i, i + 1] };
    if (i % 10_000 === 0) peak = Math.max(peak, getHeapStatistics().total_heap_size);
  }
  console.log(kept.length && peak / 1048576);
`;

async function peakHeapMb(...args: Parameters<typeof churn>): Promise<number> {
  const { stdout } = await run(process.execPath, [
    "--import",
    "tsx",
    "--input-type=module",
    "--eval",
    churn(...args),
  ]);
  return Number(stdout.trim());
}

describe("the gateway's heap growth", () => {
  it("reads GATEWAY_HEAP_GROWTH, 0 leaving V8's default, and refuses what is not a percent", () => {
    expect(readHeapGrowth({})).toBe(DEFAULT_HEAP_GROWTH_PERCENT);
    expect(readHeapGrowth({ GATEWAY_HEAP_GROWTH: "0" })).toBe(0);
    expect(readHeapGrowth({ GATEWAY_HEAP_GROWTH: "50" })).toBe(50);
    expect(() => readHeapGrowth({ GATEWAY_HEAP_GROWTH: "-5" })).toThrow(/GATEWAY_HEAP_GROWTH/);
    expect(() => readHeapGrowth({ GATEWAY_HEAP_GROWTH: "beaucoup" })).toThrow(
      /GATEWAY_HEAP_GROWTH/,
    );
  });

  it("keeps the heap of a running process much closer to what it keeps alive", async () => {
    const [untouched, limited, reset] = await Promise.all([
      peakHeapMb(undefined),
      peakHeapMb(DEFAULT_HEAP_GROWTH_PERCENT),
      peakHeapMb(0),
    ]);
    expect(limited).toBeLessThan(untouched * 0.8);
    // 0 is V8's own growth again.
    expect(reset).toBeGreaterThan(limited * 1.2);
  }, 120_000);

  it("applies from the first request once a full collection follows start-up's", async () => {
    const [fromNextCollection, fromStart] = await Promise.all([
      peakHeapMb(DEFAULT_HEAP_GROWTH_PERCENT, { started: true }),
      peakHeapMb(DEFAULT_HEAP_GROWTH_PERCENT, { started: true, collectAfter: true }),
    ]);
    expect(fromStart).toBeLessThan(fromNextCollection * 0.8);
  }, 120_000);

  it("collects without leaving gc among the process's globals", async () => {
    const { stdout } = await run(process.execPath, [
      "--import",
      "tsx",
      "--input-type=module",
      "--eval",
      `import { collectGarbage } from ${JSON.stringify(new URL("./heap.ts", import.meta.url).href)};
       let garbage = Array.from({ length: 300_000 }, (_, i) => ({ i })); garbage = null;
       const before = process.memoryUsage().heapUsed;
       collectGarbage();
       console.log(JSON.stringify({ freedMb: (before - process.memoryUsage().heapUsed) / 1048576, gc: typeof globalThis.gc }));`,
    ]);
    const { freedMb, gc } = JSON.parse(stdout) as { freedMb: number; gc: string };
    expect(freedMb).toBeGreaterThan(5);
    expect(gc).toBe("undefined");
  });
});
