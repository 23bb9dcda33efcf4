import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { GraphQLError } from "graphql";
import type { CheckWork } from "./check-in-worker.js";

/**
 * A worker thread (`checkInWorker`) running the checks of one change: a refusal is posted back
 * as its message and extensions; any other error (a stack overflow on a pathological schema) is
 * thrown, and ends the worker.
 */
const { change, niceness } = workerData as CheckWork;
// On Linux each thread has its own nice value: the checks get the CPU the gateway's serving
// leaves, and the gateway reads this thread's CPU time to hold them to their budget.
if (process.platform === "linux") {
  setPriority(niceness);
  parentPort!.postMessage({ thread: readlinkSync("/proc/thread-self") });
}
// Composition and the diff are loaded once the thread is niced: loading them is half the work.
const { checkChange } = await import("./checks.js");
try {
  parentPort!.postMessage({ checked: await checkChange(change) });
} catch (error) {
  if (!(error instanceof GraphQLError)) throw error;
  parentPort!.postMessage({ refused: { message: error.message, extensions: error.extensions } });
}
