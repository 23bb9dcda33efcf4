import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import type { ChangeToCheck } from "./checks.js";

/**
 * The thread of the checks (`checkInWorker`), kept for the checks that follow: each message is a
 * change, each answer what its checks found or its refusal (message and extensions); any other
 * error (a stack overflow on a pathological schema) is thrown, and ends the thread.
 */
const { niceness } = workerData as { niceness: number };
// On Linux the gateway reads this thread's CPU time to hold each check to its budget, and the
// thread has its own nice value: the checks get the CPU the gateway's serving leaves. Niced only
// once its CPU time is watched (a niced check on wall-clock time could run out on a busy machine);
// where the system refuses either (a sandbox, no /proc), they run as elsewhere.
if (process.platform === "linux") {
  try {
    parentPort!.postMessage({ thread: readlinkSync("/proc/thread-self") });
    setPriority(niceness);
  } catch {}
}
// Loaded once the thread is niced; composition and the diff only for an SDL whose tokens hold no
// more types than allowed: for a hostile megabyte, loading them and building its syntax tree would
// be nearly all the work.
const { typeCountRefusal } = await import("./shape.js");

async function check(change: ChangeToCheck) {
  const tooManyTypes = change.served && typeCountRefusal(change.served.sdl, change.bounds);
  if (tooManyTypes) {
    const { code, message, extensions } = tooManyTypes;
    return { refused: { message, extensions: { ...extensions, code } } };
  }
  try {
    const { checkChange } = await import("./checks.js");
    return { checked: await checkChange(change) };
  } catch (error) {
    const { GraphQLError } = await import("graphql");
    if (!(error instanceof GraphQLError)) throw error;
    return { refused: { message: error.message, extensions: error.extensions } };
  }
}

parentPort!.on("message", async (change: ChangeToCheck) => {
  parentPort!.postMessage(await check(change));
});
