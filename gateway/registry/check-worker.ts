import { parentPort, workerData } from "node:worker_threads";
import { GraphQLError } from "graphql";
import { type ChangeToCheck, checkChange } from "./checks.js";

/**
 * A worker thread (`checkInWorker`) running the checks of one change: a refusal is posted back
 * as its message and extensions; any other error (a stack overflow on a pathological schema) is
 * thrown, and ends the worker.
 */
try {
  parentPort!.postMessage({ checked: await checkChange(workerData as ChangeToCheck) });
} catch (error) {
  if (!(error instanceof GraphQLError)) throw error;
  parentPort!.postMessage({ refused: { message: error.message, extensions: error.extensions } });
}
