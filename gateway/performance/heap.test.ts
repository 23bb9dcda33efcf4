import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_HEAP_GROWTH_PERCENT,
  gatewayExecArgv,
  heapGrowthLimit,
  MIN_HEAP_GROWTH_BYTES,
  readHeapGrowth,
  YOUNG_GENERATION_OPTION,
} from "./heap.js";

const MB = 1024 * 1024;

/** A heap whose size the test sets, and the collections the limit asked for. */
function fakeHeap(bytes: number, keptByCollection: number) {
  const heap = { bytes, collections: 0 };
  const limit = heapGrowthLimit({
    percent: 30,
    measure: () => heap.bytes,
    collect: () => {
      heap.collections++;
      heap.bytes = keptByCollection;
    },
  });
  return { heap, limit };
}

describe("the gateway's heap growth", () => {
  it("reads GATEWAY_HEAP_GROWTH, 0 leaving the heap to V8, and refuses what is not a percent", () => {
    expect(readHeapGrowth({})).toBe(DEFAULT_HEAP_GROWTH_PERCENT);
    expect(readHeapGrowth({ GATEWAY_HEAP_GROWTH: "0" })).toBe(0);
    expect(readHeapGrowth({ GATEWAY_HEAP_GROWTH: "50" })).toBe(50);
    expect(() => readHeapGrowth({ GATEWAY_HEAP_GROWTH: "-5" })).toThrow(/GATEWAY_HEAP_GROWTH/);
    expect(() => readHeapGrowth({ GATEWAY_HEAP_GROWTH: "beaucoup" })).toThrow(
      /GATEWAY_HEAP_GROWTH/,
    );
  });

  it("collects once the heap holds more than the last full collection kept plus the percent", () => {
    const { heap, limit } = fakeHeap(100 * MB, 100 * MB);
    heap.bytes = 129 * MB;
    limit.afterCollection(false);
    expect(heap.collections).toBe(0);
    heap.bytes = 131 * MB;
    limit.afterCollection(false);
    expect(heap.collections).toBe(1);
    expect(limit.kept).toBe(100 * MB);
  });

  it("counts from what each full collection kept, V8's own included", () => {
    const { heap, limit } = fakeHeap(100 * MB, 200 * MB);
    heap.bytes = 200 * MB;
    limit.afterCollection(true);
    expect(limit.kept).toBe(200 * MB);
    heap.bytes = 250 * MB;
    limit.afterCollection(false);
    expect(heap.collections).toBe(0);
    heap.bytes = 261 * MB;
    limit.afterCollection(false);
    expect(heap.collections).toBe(1);
    expect(limit.kept).toBe(200 * MB);
  });

  it("lets a small heap grow by a floor before collecting", () => {
    const { heap, limit } = fakeHeap(10 * MB, 10 * MB);
    heap.bytes = 10 * MB + MIN_HEAP_GROWTH_BYTES;
    limit.afterCollection(false);
    expect(heap.collections).toBe(0);
    heap.bytes += 1;
    limit.afterCollection(false);
    expect(heap.collections).toBe(1);
  });

  it("bounds the young generation of every gateway process the hub starts", () => {
    expect(gatewayExecArgv(["--enable-source-maps"])).toEqual([
      "--enable-source-maps",
      YOUNG_GENERATION_OPTION,
    ]);
    expect(gatewayExecArgv(["--max-semi-space-size=8"])).toEqual(["--max-semi-space-size=8"]);
    const { scripts } = JSON.parse(readFileSync("package.json", "utf8")) as {
      scripts: Record<string, string>;
    };
    expect(scripts.start).toContain(YOUNG_GENERATION_OPTION);
    expect(scripts.hub).toContain(YOUNG_GENERATION_OPTION);
  });
});
