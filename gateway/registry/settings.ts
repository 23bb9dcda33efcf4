import { wholeNumber } from "../../lib/config.js";
import { type FetchLimits, readFetchLimits } from "./fetch-sdl.js";
import { type AllowList, readAllowList } from "./routing-url.js";

export interface RegistrySettings {
  allowList: AllowList;
  fetchLimits: FetchLimits;
  /** `REGISTRY_POLL_MS`: how often a gateway checks for a new supergraph when no notification came. */
  pollMs: number;
  /** `REGISTRY_USAGE_DAYS`: how far back client operations count against a breaking change. */
  usageDays: number;
  /** `REGISTRY_USAGE_FLUSH_MS`: how often the operations clients sent are written to the registry. */
  usageFlushMs: number;
}

export function readRegistrySettings(env: NodeJS.ProcessEnv = process.env): RegistrySettings {
  return {
    allowList: readAllowList(env.REGISTRY_ALLOWED_HOSTS),
    fetchLimits: readFetchLimits(env),
    pollMs: wholeNumber(env, "REGISTRY_POLL_MS", 500),
    usageDays: wholeNumber(env, "REGISTRY_USAGE_DAYS", 7),
    usageFlushMs: wholeNumber(env, "REGISTRY_USAGE_FLUSH_MS", 1000),
  };
}
