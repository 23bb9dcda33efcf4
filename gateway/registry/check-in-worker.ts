import { Worker } from "node:worker_threads";
import { GraphQLError } from "graphql";
import { userError } from "../../lib/graphql/errors.js";
import type { ChangeToCheck, CheckedChange } from "./checks.js";

export interface CheckLimits {
  /** `REGISTRY_CHECK_TIMEOUT_MS`: how long the checks of one change may take. */
  timeMs: number;
  /** `REGISTRY_CHECK_MEMORY_MB`: the heap they may use. */
  memoryMb: number;
}

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

type Reply =
  | { checked: CheckedChange }
  | { refused: { message: string; extensions: Record<string, unknown> } };

/**
 * Runs `checkChange` in a worker thread of its own, within a time and a heap: composing a
 * partner's schema never holds the gateway's event loop, and a schema that exhausts the time,
 * the heap or the stack is refused with `SCHEMA_TOO_COMPLEX` (the worker is ended), never an
 * internal error.
 */
export function checkInWorker(change: ChangeToCheck, limits: CheckLimits): Promise<CheckedChange> {
  const tooComplex = (why: string) =>
    userError(
      "SCHEMA_TOO_COMPLEX",
      `Schéma trop complexe : sa vérification ${why} ; le graphe servi ne change pas.`,
    );
  return new Promise((resolve, reject) => {
    const worker = startWorker({
      workerData: change,
      resourceLimits: { maxOldGenerationSizeMb: limits.memoryMb },
    });
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      outcome();
    };
    const timer = setTimeout(
      () =>
        settle(() => reject(tooComplex(`dépasse ${limits.timeMs} ms (REGISTRY_CHECK_TIMEOUT_MS)`))),
      limits.timeMs,
    );
    worker.once("message", (reply: Reply) =>
      settle(() =>
        "checked" in reply
          ? resolve(reply.checked)
          : reject(
              new GraphQLError(reply.refused.message, { extensions: reply.refused.extensions }),
            ),
      ),
    );
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
