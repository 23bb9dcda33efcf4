import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface StartedHub {
  gatewayUrl: string;
  /** Milliseconds from spawning `npm start`'s command to `/ready` answering 200. */
  readyAfterMs: number;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 180_000;

/**
 * Starts the hub as `npm start` does (tsx, one process), on its own ports and data directory,
 * and waits for `/ready`. Its output is forwarded so the import's progress shows.
 */
export async function startHubProcess(env: Record<string, string>, basePort: number): Promise<StartedHub> {
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", "bin/hub.ts", "start"], {
    env: {
      ...process.env,
      PORT: String(basePort),
      DIRECTORY_PORT: String(basePort + 1),
      EXCHANGES_PORT: String(basePort + 2),
      BOOKINGS_PORT: String(basePort + 3),
      ENGAGEMENTS_PORT: String(basePort + 4),
      ...env,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  child.stdout.on("data", (chunk: Buffer) => process.stdout.write(`  │ ${chunk.toString().replace(/\r/g, "\n  │ ").trimEnd()}\n`));
  const gatewayUrl = `http://127.0.0.1:${basePort}`;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  while (performance.now() - started < READY_TIMEOUT_MS) {
    if (child.exitCode !== null) throw new Error(`the hub exited with code ${child.exitCode} before it was ready`);
    const ready = await fetch(`${gatewayUrl}/ready`).then((r) => r.ok, () => false);
    if (ready) {
      return {
        gatewayUrl,
        readyAfterMs: performance.now() - started,
        stop: async () => {
          child.kill("SIGTERM");
          await exited;
        },
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill("SIGKILL");
  throw new Error(`the hub was not ready after ${READY_TIMEOUT_MS / 1000} s`);
}

export function temporaryDataDir(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), "hub-bench-"));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
