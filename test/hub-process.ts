import { type ChildProcess, spawn } from "node:child_process";
import { BUILT_HUB } from "../lib/paths.js";

/** The `hub` command line run as a real process, for tests of what only a whole process shows (workers, logs, traces). */
export interface HubProcess {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** Waits until its output matches `pattern` `times` times, and returns the matches. */
  waitFor(pattern: RegExp, times?: number, timeoutMs?: number): Promise<RegExpMatchArray[]>;
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

export function startHubProcess(
  args: string[],
  env: Record<string, string | undefined>,
): HubProcess {
  const child = spawn(process.execPath, [BUILT_HUB, ...args], {
    // The ports come from the test; 0 picks free ones.
    env: {
      ...process.env,
      PORT: "0",
      DIRECTORY_PORT: "0",
      EXCHANGES_PORT: "0",
      BOOKINGS_PORT: "0",
      ENGAGEMENTS_PORT: "0",
      ...env,
    } as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout!.on("data", (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );
  return {
    child,
    output: () => text,
    exited,
    waitFor: async (pattern, times = 1, timeoutMs = 90_000) => {
      const started = Date.now();
      const global = new RegExp(
        pattern.source,
        pattern.flags.includes("g") ? pattern.flags : `${pattern.flags}g`,
      );
      for (;;) {
        const matches = [...text.matchAll(global)];
        if (matches.length >= times) return matches;
        if (child.exitCode !== null)
          throw new Error(`hub exited (${child.exitCode}) before printing ${pattern}:\n${text}`);
        if (Date.now() - started > timeoutMs)
          throw new Error(
            `hub did not print ${pattern} ${times} times in ${timeoutMs} ms:\n${text}`,
          );
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}
