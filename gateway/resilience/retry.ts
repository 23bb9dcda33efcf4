/** Error codes of a connection that failed before the subgraph answered anything. */
const CONNECTION_FAILURES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** Whether a fetch failed on its connection, before any byte of an answer (undici and node-fetch alike). */
export function isConnectionFailure(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string" && CONNECTION_FAILURES.has(code)) return true;
  }
  return false;
}

export interface RetryOptions {
  retries: number;
  /** The first retry's mean delay; each later one doubles it. */
  delayMs: number;
  /** The call's deadline: no retry starts, and no wait lasts, past it. */
  signal: AbortSignal;
  random?: () => number;
}

/**
 * Calls `attempt` again when its connection failed before any answer, up to `retries` times, after
 * a jittered, growing delay (so that gateways do not retry in step), never past the deadline.
 */
export async function retryConnectionFailures<T>(
  attempt: () => Promise<T>,
  { retries, delayMs, signal, random = Math.random }: RetryOptions,
): Promise<T> {
  for (let retry = 0; ; retry++) {
    try {
      return await attempt();
    } catch (error) {
      if (retry >= retries || signal.aborted || !isConnectionFailure(error)) throw error;
      const waited = await delay(delayMs * 2 ** retry * (0.5 + random()), signal);
      if (!waited) throw error;
    }
  }
}

/** Resolves `true` after `ms`, or `false` as soon as the signal aborts. */
function delay(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (waited: boolean) => {
      clearTimeout(timer);
      signal.removeEventListener("abort", aborted);
      resolve(waited);
    };
    const aborted = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal.addEventListener("abort", aborted, { once: true });
  });
}
