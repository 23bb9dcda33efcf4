import { describe, expect, it } from "vitest";
import { type BreakerState, CircuitBreaker } from "./breaker.js";

function breaker() {
  let now = 0;
  const changes: BreakerState[] = [];
  const subject = new CircuitBreaker({
    failures: 3,
    cooldownMs: 1000,
    onChange: (state) => changes.push(state),
    now: () => now,
  });
  return { subject, changes, advance: (ms: number) => (now += ms) };
}

describe("a subgraph's circuit breaker", () => {
  it("opens after consecutive failures only, and refuses calls while it cools down", () => {
    const { subject, changes } = breaker();
    subject.failed();
    subject.failed();
    subject.succeeded();
    subject.failed();
    subject.failed();
    expect(subject.state).toBe("CLOSED");
    subject.failed();
    expect(subject.state).toBe("OPEN");
    expect(subject.allow()).toBe(false);
    expect(changes).toEqual(["OPEN"]);
  });

  it("lets one probe through after the cool-down, and closes when it succeeds", () => {
    const { subject, changes, advance } = breaker();
    for (let i = 0; i < 3; i++) subject.failed();
    advance(1000);
    expect(subject.allow()).toBe(true);
    expect(subject.state).toBe("HALF_OPEN");
    expect(subject.allow()).toBe(false);
    subject.succeeded();
    expect(subject.state).toBe("CLOSED");
    expect(subject.allow()).toBe(true);
    expect(changes).toEqual(["OPEN", "HALF_OPEN", "CLOSED"]);
  });

  it("opens again at once when the probe fails, for a whole cool-down", () => {
    const { subject, advance } = breaker();
    for (let i = 0; i < 3; i++) subject.failed();
    advance(1000);
    subject.allow();
    subject.failed();
    expect(subject.state).toBe("OPEN");
    advance(999);
    expect(subject.allow()).toBe(false);
    advance(1);
    expect(subject.allow()).toBe(true);
  });
});
