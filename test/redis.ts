import { Socket } from "node:net";

/** The Redis the tests of shared rate limits use; CI runs one, a developer's machine may not. */
export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** Whether something accepts connections at REDIS_URL (the tests that need it are skipped otherwise). */
export async function redisAnswers(): Promise<boolean> {
  const { hostname, port } = new URL(REDIS_URL);
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.setTimeout(500);
    socket
      .once("connect", () => resolve(true))
      .once("error", () => resolve(false))
      .once("timeout", () => resolve(false));
    socket.connect(Number(port || 6379), hostname, () => socket.end());
  });
}
