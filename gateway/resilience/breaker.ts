export type BreakerState = "CLOSED" | "OPEN" | "HALF_OPEN";

export interface BreakerOptions {
  /** Consecutive failures that open it. */
  failures: number;
  /** How long it stays open before it lets one probe through. */
  cooldownMs: number;
  /** Called once per change of state. */
  onChange?: (state: BreakerState) => void;
  now?: () => number;
}

/**
 * A circuit breaker for one subgraph: closed, calls go through; after `failures` consecutive
 * failures it opens and refuses every call for `cooldownMs`; then it is half-open and lets one
 * call through, the probe, whose outcome closes it or opens it again.
 */
export class CircuitBreaker {
  private current: BreakerState = "CLOSED";
  private consecutiveFailures = 0;
  private openedAt = 0;
  private probing = false;
  private readonly now: () => number;

  constructor(private readonly options: BreakerOptions) {
    this.now = options.now ?? Date.now;
  }

  get state(): BreakerState {
    return this.current;
  }

  /** Whether a call may go through now; `true` in half-open state makes the caller the probe. */
  allow(): boolean {
    if (this.current === "OPEN") {
      if (this.now() - this.openedAt < this.options.cooldownMs) return false;
      this.moveTo("HALF_OPEN");
    }
    if (this.current === "HALF_OPEN") {
      if (this.probing) return false;
      this.probing = true;
    }
    return true;
  }

  succeeded(): void {
    this.consecutiveFailures = 0;
    this.probing = false;
    if (this.current !== "CLOSED") this.moveTo("CLOSED");
  }

  failed(): void {
    this.consecutiveFailures += 1;
    const probeFailed = this.current === "HALF_OPEN" && this.probing;
    this.probing = false;
    if (
      probeFailed ||
      (this.current === "CLOSED" && this.consecutiveFailures >= this.options.failures)
    ) {
      this.openedAt = this.now();
      this.moveTo("OPEN");
    }
  }

  private moveTo(state: BreakerState): void {
    this.current = state;
    this.options.onChange?.(state);
  }
}
