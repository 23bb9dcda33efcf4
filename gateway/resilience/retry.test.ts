import { describe, expect, it } from "vitest";
import { isConnectionFailure, retryConnectionFailures } from "./retry.js";

const refused = () =>
  new TypeError("fetch failed", {
    cause: Object.assign(new Error("connect"), { code: "ECONNREFUSED" }),
  });

describe("retries of a subgraph call", () => {
  it("retry a connection refused until it answers", async () => {
    let attempts = 0;
    const answer = await retryConnectionFailures(
      async () => {
        attempts += 1;
        if (attempts < 3) throw refused();
        return "answer";
      },
      { retries: 2, delayMs: 1, signal: new AbortController().signal },
    );
    expect([answer, attempts]).toEqual(["answer", 3]);
  });

  it("stop after the retries allowed, and never retry what is not a connection failure", async () => {
    let attempts = 0;
    const fail = (error: Error) => () => {
      attempts += 1;
      return Promise.reject(error);
    };
    const options = { retries: 2, delayMs: 1, signal: new AbortController().signal };
    await expect(retryConnectionFailures(fail(refused()), options)).rejects.toThrow("fetch failed");
    expect(attempts).toBe(3);
    attempts = 0;
    await expect(retryConnectionFailures(fail(new Error("500")), options)).rejects.toThrow("500");
    expect(attempts).toBe(1);
  });

  it("start no retry once the deadline has passed", async () => {
    const deadline = new AbortController();
    let attempts = 0;
    const call = retryConnectionFailures(
      () => {
        attempts += 1;
        deadline.abort();
        return Promise.reject(refused());
      },
      { retries: 5, delayMs: 1, signal: deadline.signal },
    );
    await expect(call).rejects.toThrow("fetch failed");
    expect(attempts).toBe(1);
  });

  it("recognise a refused connection of node-fetch and of undici", () => {
    expect(isConnectionFailure(refused())).toBe(true);
    expect(
      isConnectionFailure(Object.assign(new Error("request failed"), { code: "ECONNRESET" })),
    ).toBe(true);
    expect(isConnectionFailure(new DOMException("timeout", "TimeoutError"))).toBe(false);
  });
});
