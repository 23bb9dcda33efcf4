import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import type { CheckWork } from "./check-in-worker.js";

/**
 * A worker thread (`checkInWorker`) running the checks of one change: a refusal is posted back
 * as its message and extensions; any other error (a stack overflow on a pathological schema) is
 * thrown, and ends the worker.
 */
const { change, niceness } = workerData as CheckWork;
// On Linux the gateway reads this thread's CPU time to hold the checks to their budget, and the
// thread has its own nice value: the checks get the CPU the gateway's serving leaves. Niced only
// once its CPU time is watched (a niced check on wall-clock time could run out on a busy machine);
// where the system refuses either (a sandbox, no /proc), they run as elsewhere.
if (process.platform === "linux") {
  try {
    parentPort!.postMessage({ thread: readlinkSync("/proc/thread-self") });
    setPriority(niceness);
  } catch {}
}
// Everything is loaded once the thread is niced; composition and the diff only for an SDL whose
// tokens hold no more types than allowed: for a hostile megabyte, loading them and building its
// syntax tree would be nearly all the work.
const { typeCountRefusal } = await import("./shape.js");
const tooManyTypes = change.served && typeCountRefusal(change.served.sdl, change.bounds);
if (tooManyTypes) {
  const { code, message, extensions } = tooManyTypes;
  parentPort!.postMessage({ refused: { message, extensions: { ...extensions, code } } });
} else {
  try {
    const { checkChange } = await import("./checks.js");
    parentPort!.postMessage({ checked: await checkChange(change) });
  } catch (error) {
    const { GraphQLError } = await import("graphql");
    if (!(error instanceof GraphQLError)) throw error;
    parentPort!.postMessage({ refused: { message: error.message, extensions: error.extensions } });
  }
}
