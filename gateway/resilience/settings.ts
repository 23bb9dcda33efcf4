import { wholeNumber } from "../../lib/config.js";

export interface ResilienceSettings {
  /** `SUBGRAPH_TIMEOUT_MS`: the deadline of a call to one of the hub's own subgraphs. */
  hubTimeoutMs: number;
  /** `PARTNER_TIMEOUT_MS`: the deadline of a call to a partner's subgraph (a partner may lower its own). */
  partnerTimeoutMs: number;
  /** `SUBGRAPH_BREAKER_FAILURES`: consecutive failures or timeouts that open a subgraph's breaker. */
  breakerFailures: number;
  /** `SUBGRAPH_BREAKER_COOLDOWN_MS`: how long an open breaker answers at once before it lets a probe through. */
  breakerCooldownMs: number;
  /** `SUBGRAPH_RETRIES`: retries of a query whose connection failed before any answer (0: none). */
  retries: number;
  /** `SUBGRAPH_RETRY_DELAY_MS`: the first retry's mean delay, doubled at each retry, jittered. */
  retryDelayMs: number;
}

export function readResilienceSettings(env: NodeJS.ProcessEnv = process.env): ResilienceSettings {
  return {
    hubTimeoutMs: wholeNumber(env, "SUBGRAPH_TIMEOUT_MS", 15_000),
    partnerTimeoutMs: wholeNumber(env, "PARTNER_TIMEOUT_MS", 5_000),
    breakerFailures: wholeNumber(env, "SUBGRAPH_BREAKER_FAILURES", 5),
    breakerCooldownMs: wholeNumber(env, "SUBGRAPH_BREAKER_COOLDOWN_MS", 10_000),
    retries: wholeNumber(env, "SUBGRAPH_RETRIES", 2, 0),
    retryDelayMs: wholeNumber(env, "SUBGRAPH_RETRY_DELAY_MS", 25),
  };
}
