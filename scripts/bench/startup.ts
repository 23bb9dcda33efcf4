import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gatewayExecArgv } from "../../gateway/performance/heap.js";
import { BUILT_HUB } from "../../lib/paths.js";

export interface StartedProcess {
  /** The server's base URL (no path). */
  url: string;
  /** Milliseconds from spawning to the ready URL answering 200. */
  readyAfterMs: number;
  /** Forgets the peak memory so far, so that the next reading covers one workload. */
  resetPeakMemory(): void;
  /** Peak resident memory since the last reset, in MiB, summed over the process and its workers. */
  peakMemoryMb(): number;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 180_000;

/** The ports `hub start` uses from `basePort`: the gateway, then one per subgraph. */
export function hubPorts(basePort: number): Record<string, string> {
  return {
    PORT: String(basePort),
    DIRECTORY_PORT: String(basePort + 1),
    EXCHANGES_PORT: String(basePort + 2),
    BOOKINGS_PORT: String(basePort + 3),
    ENGAGEMENTS_PORT: String(basePort + 4),
  };
}

/** Runs the built `hub` command line with `args`, as `npm run hub -- ...` would (its Node options included). */
export function spawnHub(args: string[], env: Record<string, string>, label: string): ChildProcess {
  const child = spawn(process.execPath, [...gatewayExecArgv([]), BUILT_HUB, ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  forwardOutput(child, label);
  return child;
}

/** Runs a `hub` command to its end and returns what it printed. */
export async function runHub(args: string[], env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, [BUILT_HUB, ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`hub ${args.join(" ")} exited with code ${code}`);
  return output;
}

/** A child's output, indented under the bench's own lines so that the import's progress shows. */
export function forwardOutput(child: ChildProcess, label: string): void {
  child.stdout?.on("data", (chunk: Buffer) =>
    process.stdout.write(
      `  │ ${label}: ${chunk.toString().replace(/\r/g, "\n").trimEnd().replace(/\n/g, `\n  │ ${label}: `)}\n`,
    ),
  );
}

/** Waits for `readyPath` to answer 200, then hands the process over. */
export async function whenReady(
  child: ChildProcess,
  url: string,
  readyPath: string,
): Promise<StartedProcess> {
  const started = performance.now();
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  while (performance.now() - started < READY_TIMEOUT_MS) {
    if (child.exitCode !== null)
      throw new Error(`${url}: the process exited with code ${child.exitCode} before it was ready`);
    if (
      await fetch(`${url}${readyPath}`).then(
        (r) => r.ok,
        () => false,
      )
    ) {
      const pid = child.pid!;
      return {
        url,
        readyAfterMs: performance.now() - started,
        resetPeakMemory: () => processTree(pid).forEach(resetPeak),
        peakMemoryMb: () => processTree(pid).reduce((sum, p) => sum + peakKb(p), 0) / 1024,
        stop: async () => {
          child.kill("SIGTERM");
          await exited;
        },
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`${url} was not ready after ${READY_TIMEOUT_MS / 1000} s`);
}

/** A process and its descendants (cluster workers), from Linux's /proc. */
function processTree(pid: number): number[] {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    // Not Linux, or already gone.
  }
  return [pid, ...children.flatMap(processTree)];
}

/** Linux resets a process's peak resident size (VmHWM) when 5 is written to its clear_refs. */
function resetPeak(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
  } catch {
    // Not Linux: the peak then covers the whole life of the process.
  }
}

function peakKb(pid: number): number {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

export function temporaryDataDir(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), "hub-bench-"));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
