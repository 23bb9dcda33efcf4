import { parentPort } from "node:worker_threads";

const utf8 = new TextDecoder();

/** The worker thread of `parseJson`: decodes and parses each body it is sent, answering under its id. */
parentPort!.on("message", ({ id, bytes }: { id: number; bytes: Uint8Array }) => {
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(bytes));
  } catch {
    return parentPort!.postMessage({ id, invalid: true });
  }
  parentPort!.postMessage({ id, value });
});
