import { readFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { GraphQLError } from "graphql";
import { userError } from "../../lib/graphql/errors.js";
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

/** What a check's worker is given. */
export interface CheckWork {
  change: ChangeToCheck;
  niceness: number;
}

/** On a busy machine a niced check waits for the CPU: it may take this many times its budget in all. */
const WAITING_FACTOR = 10;
/** How often the thread's CPU time is read. */
const CPU_READ_MS = 100;
/** Linux's clock ticks per second in /proc (USER_HZ, part of its ABI). */
const TICKS_PER_SECOND = 100;

/** The worker's entry: from the build, its JavaScript; from the sources (tests, tsx), through tsx's loader. */
function startWorker(options: ConstructorParameters<typeof Worker>[1]): Worker {
  if (!import.meta.url.endsWith(".ts"))
    return new Worker(new URL("./check-worker.js", import.meta.url), options);
  // Evaluated code resolves `tsx` from the working directory: the repository's, for tests and tsx.
  const entry = new URL("./check-worker.ts", import.meta.url).href;
  return new Worker(
    `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`,
    { ...options, eval: true },
  );
}

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
 * Runs `checkChange` in a worker thread of its own, within a time and a heap: composing a
 * partner's schema never holds the gateway's event loop, on Linux it only takes the CPU serving
 * leaves (a niced thread, held to a budget of CPU time so that a busy machine does not refuse a
 * sound schema), and a schema that exhausts the time, the heap or the stack is refused with
 * `SCHEMA_TOO_COMPLEX` (the worker is ended), never an internal error.
 */
export function checkInWorker(
  change: ChangeToCheck,
  limits: CheckLimits,
): Promise<CheckedChange | Unchanged> {
  const tooComplex = (why: string) =>
    userError(
      "SCHEMA_TOO_COMPLEX",
      `Schéma trop complexe : sa vérification ${why} ; le graphe servi ne change pas.`,
    );
  const overTime = () => tooComplex(`dépasse ${limits.timeMs} ms (REGISTRY_CHECK_TIMEOUT_MS)`);
  return new Promise((resolve, reject) => {
    const worker = startWorker({
      workerData: { change, niceness: limits.niceness } satisfies CheckWork,
      resourceLimits: { maxOldGenerationSizeMb: limits.memoryMb },
    });
    let settled = false;
    let cpuWatch: NodeJS.Timeout | undefined;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearInterval(cpuWatch);
      void worker.terminate();
      outcome();
    };
    let timer = setTimeout(() => settle(() => reject(overTime())), limits.timeMs);
    const watchCpu = (thread: string) => {
      clearTimeout(timer);
      timer = setTimeout(() => settle(() => reject(overTime())), limits.timeMs * WAITING_FACTOR);
      cpuWatch = setInterval(() => {
        if ((threadCpuMs(thread) ?? 0) > limits.timeMs) settle(() => reject(overTime()));
      }, CPU_READ_MS);
    };
    worker.on("message", (reply: Reply) => {
      if ("thread" in reply) return watchCpu(reply.thread);
      settle(() =>
        "checked" in reply
          ? resolve(reply.checked)
          : reject(
              new GraphQLError(reply.refused.message, { extensions: reply.refused.extensions }),
            ),
      );
    });
    worker.once("error", (error: Error & { code?: string }) =>
      settle(() => {
        if (error.code === "ERR_WORKER_OUT_OF_MEMORY")
          reject(tooComplex(`dépasse ${limits.memoryMb} Mo (REGISTRY_CHECK_MEMORY_MB)`));
        else if (error.name === "RangeError") reject(tooComplex("dépasse la pile d'appels"));
        else reject(error);
      }),
    );
    worker.once("exit", () => settle(() => reject(tooComplex("s'est interrompue"))));
  });
}
