import { Worker, type WorkerOptions } from "node:worker_threads";

/**
 * Starts the worker thread whose module is `name` beside `moduleUrl` (the caller's
 * `import.meta.url`): from the build, its JavaScript; from the sources (tests, tsx), the
 * TypeScript through tsx's loader.
 */
export function startWorker(moduleUrl: string, name: string, options?: WorkerOptions): Worker {
  if (!moduleUrl.endsWith(".ts")) return new Worker(new URL(`./${name}.js`, moduleUrl), options);
  // Evaluated code resolves `tsx` from the working directory: the repository's, for tests and tsx.
  const entry = new URL(`./${name}.ts`, moduleUrl).href;
  return new Worker(
    `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`,
    { ...options, eval: true },
  );
}
