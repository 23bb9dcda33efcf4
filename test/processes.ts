import { type ChildProcess, execFile, spawn } from "node:child_process";
import { BUILT_HUB } from "../lib/paths.js";

export interface RunningProcess {
  /** The URL the process printed once ready. */
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts a TypeScript entry point (through tsx), a JavaScript one or an executable in a process of its own, and
 * waits for the line that says it is ready, whose first group is its URL.
 */
export function startProcess(
  entry: string,
  args: string[],
  env: Record<string, string>,
  readyPattern: RegExp,
  timeoutMs = 60_000,
): Promise<RunningProcess> {
  const [command, commandArgs] = entry.endsWith(".ts")
    ? [process.execPath, ["--import", "tsx", entry, ...args]]
    : entry.endsWith(".js")
      ? [process.execPath, [entry, ...args]]
      : [entry, args];
  const child = spawn(command, commandArgs, {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`${entry} not ready after ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = readyPattern.exec(output);
      if (!match) return;
      clearTimeout(timer);
      resolve({
        url: match[1]!,
        process: child,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once("exit", () => done());
            child.kill("SIGTERM");
          }),
      });
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with ${code}:\n${output}`));
    });
  });
}

/**
 * A second gateway process (`hub gateway`) over the subgraphs and the PostgreSQL database of a
 * test hub, with the same identity secret; it polls the registry once an hour, so what it serves
 * of a publication came by notification. `env` adds to or overrides its settings.
 */
export function startSecondGateway(
  hub: {
    subgraphs: ReadonlyMap<string, { url: string }>;
    database: { location: string };
  },
  env: Record<string, string> = {},
): Promise<RunningProcess> {
  const urls = Object.fromEntries(
    [...hub.subgraphs].map(([name, server]) => [`${name.toUpperCase()}_URL`, server.url]),
  );
  return startProcess(
    BUILT_HUB,
    ["gateway"],
    {
      ...urls,
      DATABASE_URL: hub.database.location,
      HUB_IDENTITY_SECRET: process.env.HUB_IDENTITY_SECRET!,
      PORT: "0",
      REGISTRY_POLL_MS: "3600000",
      ...env,
    },
    /gateway ready at (\S+)/,
  );
}

/** The example partner's subgraph (examples/carpool), as the partner would run it. */
export function startCarpoolProcess(port = 0): Promise<RunningProcess> {
  return startProcess(
    "examples/carpool/server.ts",
    [],
    { CARPOOL_PORT: String(port) },
    /carpool subgraph ready at (\S+)/,
  );
}

/** Runs `hub <args>` to its end, as a user would (built by the tests' global setup). */
export function runHubCommand(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BUILT_HUB, ...args],
      { env: { ...process.env, ...env } },
      (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}
