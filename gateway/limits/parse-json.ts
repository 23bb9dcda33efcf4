import type { Worker } from "node:worker_threads";
import { log } from "../../lib/log.js";
import { startWorker } from "../../lib/worker-thread.js";

/**
 * Bodies at least this long are parsed in a worker thread: `JSON.parse` takes about 10 ms a
 * megabyte of SDL on a slow core, and a request body may hold two (a publication).
 */
const OFF_LOOP_BYTES = 64 * 1024;

const utf8 = new TextDecoder();

interface Job {
  bytes: Uint8Array;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

let worker: Worker | undefined;
const jobs = new Map<number, Job>();
let lastId = 0;

const parseHere = ({ bytes, resolve, reject }: Job) => {
  try {
    resolve(JSON.parse(utf8.decode(bytes)));
  } catch (error) {
    reject(error);
  }
};

/** The worker, started at the first long body; if it ends, its jobs are parsed here. */
function parser(): Worker {
  if (worker) return worker;
  const started = startWorker(import.meta.url, "json-worker");
  started.unref();
  started.on(
    "message",
    ({ id, value, invalid }: { id: number; value?: unknown; invalid?: true }) => {
      const job = jobs.get(id);
      jobs.delete(id);
      if (invalid) job?.reject(new SyntaxError("JSON illisible"));
      else job?.resolve(value);
    },
  );
  started.once("error", (error) => log.error("JSON parser thread ended, parsing here", error));
  started.once("exit", () => {
    worker = undefined;
    for (const job of jobs.values()) parseHere(job);
    jobs.clear();
  });
  worker = started;
  return started;
}

/**
 * A UTF-8 JSON body parsed (its byte order mark skipped, as `express.json` does), off the event
 * loop when it is long: a megabyte a partner sends (an SDL, a manifest) does not hold the answers
 * of the hub meanwhile. The bytes of a long body are moved to the worker, not copied as a string.
 */
export function parseJson(body: Uint8Array): Promise<unknown> {
  return new Promise((resolve, reject) => {
    if (body.byteLength < OFF_LOOP_BYTES) return parseHere({ bytes: body, resolve, reject });
    const id = ++lastId;
    jobs.set(id, { bytes: body, resolve, reject });
    // A copy of its own to move: the body's bytes may share their buffer with others.
    const bytes = new Uint8Array(body);
    parser().postMessage({ id, bytes }, [bytes.buffer]);
  });
}
