import { readFileSync } from "node:fs";
import type { Worker } from "node:worker_threads";
import { GraphQLError } from "graphql";
import { userError } from "../../lib/graphql/errors.js";
import { startWorker } from "../../lib/worker-thread.js";
import type { ChangeToCheck, CheckedChange, Unchanged } from "./checks.js";

export interface CheckLimits {
  /**
   * `REGISTRY_CHECK_TIMEOUT_MS`: the CPU time the checks of one change may take (on Linux; the
   * wall-clock time elsewhere). On Linux they may also wait `WAITING_FACTOR` times as long for a
   * CPU the gateway leaves them.
   */
  timeMs: number;
  /** `REGISTRY_CHECK_MEMORY_MB`: the heap they may use. */
  memoryMb: number;
  /** `REGISTRY_CHECK_NICE`: the nice value of the checks' thread on Linux (0 to 19). */
  niceness: number;
}

/** On a busy machine a niced check waits for the CPU: it may take this many times its budget in all. */
const WAITING_FACTOR = 10;
/** How often the thread's CPU time is read. */
const CPU_READ_MS = 100;
/** Linux's clock ticks per second in /proc (USER_HZ, part of its ABI). */
const TICKS_PER_SECOND = 100;

/** A thread's user and system CPU time in ms, from `/proc/<pid>/task/<tid>/stat`; null once it has ended. */
function threadCpuMs(thread: string): number | null {
  try {
    const stat = readFileSync(`/proc/${thread}/stat`, "utf8");
    // Fields after the command's closing parenthesis, from the third: utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

type Reply =
  | { thread: string }
  | { checked: CheckedChange | Unchanged }
  | { refused: { message: string; extensions: Record<string, unknown> } };

/**
 * The checks' thread, kept from one check to the next: starting one (an isolate, its modules)
 * costs the process more CPU than refusing a hostile megabyte.
 */
interface CheckThread {
  worker: Worker;
  memoryMb: number;
  niceness: number;
  /** Its id under /proc, once it has said it. */
  id: string | null;
  idle?: NodeJS.Timeout;
}

/** A thread without a check for this long is ended, and its heap (composition, once loaded) freed. */
const IDLE_MS = 60_000;

let running: CheckThread | undefined;
/** Checks run one after the other: each has the thread, and its CPU time, to itself. */
let queue: Promise<unknown> = Promise.resolve();

function endThread(thread: CheckThread) {
  if (running === thread) running = undefined;
  clearTimeout(thread.idle);
  void thread.worker.terminate();
}

function checkThread({ memoryMb, niceness }: CheckLimits): CheckThread {
  if (running?.memoryMb === memoryMb && running.niceness === niceness) return running;
  if (running) endThread(running);
  const worker = startWorker(import.meta.url, "check-worker", {
    workerData: { niceness },
    resourceLimits: { maxOldGenerationSizeMb: memoryMb },
  });
  worker.unref();
  const thread: CheckThread = { worker, memoryMb, niceness, id: null };
  worker.on("message", (reply: Reply) => {
    if ("thread" in reply) thread.id = reply.thread;
  });
  // Each check listens for the errors that end it; an idle thread has none to report.
  worker.on("error", () => {});
  worker.once("exit", () => endThread(thread));
  running = thread;
  return thread;
}

/**
 * Runs `checkChange` in a worker thread, within a time and a heap: composing a partner's schema
 * never holds the gateway's event loop, on Linux it only takes the CPU serving leaves (a niced
 * thread, each check held to a budget of CPU time so that a busy machine does not refuse a sound
 * schema), and a schema that exhausts the time, the heap or the stack is refused with
 * `SCHEMA_TOO_COMPLEX` (the thread is ended, the next check starts another), never an internal
 * error.
 */
export function checkInWorker(
  change: ChangeToCheck,
  limits: CheckLimits,
): Promise<CheckedChange | Unchanged> {
  const checked = queue.then(() => checkInThread(change, limits));
  queue = checked.catch(() => {});
  return checked;
}

function checkInThread(
  change: ChangeToCheck,
  limits: CheckLimits,
): Promise<CheckedChange | Unchanged> {
  const tooComplex = (why: string) =>
    userError(
      "SCHEMA_TOO_COMPLEX",
      `Schéma trop complexe : sa vérification ${why} ; le graphe servi ne change pas.`,
    );
  const overTime = () => tooComplex(`dépasse ${limits.timeMs} ms (REGISTRY_CHECK_TIMEOUT_MS)`);
  const thread = checkThread(limits);
  clearTimeout(thread.idle);
  return new Promise((resolve, reject) => {
    let settled = false;
    let cpuWatch: NodeJS.Timeout | undefined;
    let timer: NodeJS.Timeout | undefined;
    const settle = (outcome: () => void, endsThread = false) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearInterval(cpuWatch);
      thread.worker.off("message", onMessage).off("error", onError).off("exit", onExit);
      if (endsThread) endThread(thread);
      else thread.idle = setTimeout(() => endThread(thread), IDLE_MS).unref();
      outcome();
    };
    const refuse = (error: GraphQLError) => settle(() => reject(error), true);
    const watchCpu = (id: string) => {
      const before = threadCpuMs(id) ?? 0;
      clearTimeout(timer);
      timer = setTimeout(() => refuse(overTime()), limits.timeMs * WAITING_FACTOR);
      cpuWatch = setInterval(() => {
        if ((threadCpuMs(id) ?? 0) - before > limits.timeMs) refuse(overTime());
      }, CPU_READ_MS);
    };
    const onMessage = (reply: Reply) => {
      if ("thread" in reply) return watchCpu(reply.thread);
      settle(() =>
        "checked" in reply
          ? resolve(reply.checked)
          : reject(
              new GraphQLError(reply.refused.message, { extensions: reply.refused.extensions }),
            ),
      );
    };
    const onError = (error: Error & { code?: string }) => {
      if (error.code === "ERR_WORKER_OUT_OF_MEMORY")
        refuse(tooComplex(`dépasse ${limits.memoryMb} Mo (REGISTRY_CHECK_MEMORY_MB)`));
      else if (error.name === "RangeError") refuse(tooComplex("dépasse la pile d'appels"));
      else settle(() => reject(error), true);
    };
    const onExit = () => refuse(tooComplex("s'est interrompue"));
    thread.worker.on("message", onMessage).once("error", onError).once("exit", onExit);
    if (thread.id) watchCpu(thread.id);
    else timer = setTimeout(() => refuse(overTime()), limits.timeMs);
    thread.worker.postMessage(change);
  });
}
