import { describe, expect, it } from "vitest";
import { carpoolSdl } from "../../test/partner.js";
import { checkInWorker } from "./check-in-worker.js";
import type { ChangeToCheck } from "./checks.js";

const served = { name: "carpool", url: "http://127.0.0.1:9/graphql", sdl: carpoolSdl() };
const republication: ChangeToCheck = {
  builtIns: [],
  served: {
    ...served,
    sdl: `# Le même schéma, présenté autrement\n${served.sdl.replace(/\n/g, "\n\n")}`,
  },
  servedNow: served.sdl,
  bounds: { maxTypes: 1000, maxDepth: 100 },
  current: [served],
  candidate: [served],
  liveApiSdl: null,
  hubApiSdl: null,
  operations: null,
  usageDays: 7,
};
const limits = { timeMs: 60_000, memoryMb: 256, niceness: 0 };

describe("checks in a worker thread", () => {
  it("answers what the checks found, at any nice value", async () => {
    expect(await checkInWorker(republication, limits)).toEqual({ unchanged: true });
    expect(await checkInWorker(republication, { ...limits, niceness: 19 })).toEqual({
      unchanged: true,
    });
  });

  it("refuses with SCHEMA_TOO_COMPLEX a check past its time budget, on a thread started for it or kept", async () => {
    const overTime = {
      message: expect.stringContaining("REGISTRY_CHECK_TIMEOUT_MS"),
      extensions: { code: "SCHEMA_TOO_COMPLEX" },
    };
    await expect(checkInWorker(republication, { ...limits, timeMs: 1 })).rejects.toMatchObject(
      overTime,
    );
    // A thread kept from the check before: parsing and printing 20,000 types twice, far past 50 ms.
    expect(await checkInWorker(republication, limits)).toEqual({ unchanged: true });
    const wide = Array.from({ length: 20_000 }, (_, i) => `type T${i} { value: String }`).join(
      "\n",
    );
    const large: ChangeToCheck = {
      ...republication,
      served: { ...served, sdl: wide },
      servedNow: wide,
      bounds: { maxTypes: 100_000, maxDepth: 100 },
    };
    await expect(checkInWorker(large, { ...limits, timeMs: 50 })).rejects.toMatchObject(overTime);
  });

  it("answers the next check once a refusal has ended its thread", async () => {
    await expect(checkInWorker(republication, { ...limits, timeMs: 1 })).rejects.toThrow();
    expect(await checkInWorker(republication, limits)).toEqual({ unchanged: true });
  });
});
