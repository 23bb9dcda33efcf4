import { wholeNumber } from "../../lib/config.js";
import type { CheckLimits } from "./check-in-worker.js";
import { type FetchLimits, readFetchLimits } from "./fetch-sdl.js";
import { type AllowList, readAllowList } from "./routing-url.js";
import type { ShapeBounds } from "./shape.js";

export interface RegistrySettings {
  allowList: AllowList;
  fetchLimits: FetchLimits;
  checkLimits: CheckLimits;
  shapeBounds: ShapeBounds;
  /** `REGISTRY_PUBLICATIONS_PER_MINUTE`: one partner's steady rate of changes (publish, check, rollback, remove). */
  publicationsPerMinute: number;
  /** `REGISTRY_PUBLICATION_BURST`: the changes one partner may ask for at once. */
  publicationBurst: number;
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
    checkLimits: {
      timeMs: wholeNumber(env, "REGISTRY_CHECK_TIMEOUT_MS", 30_000),
      memoryMb: wholeNumber(env, "REGISTRY_CHECK_MEMORY_MB", 512),
      niceness: Math.min(wholeNumber(env, "REGISTRY_CHECK_NICE", 10, 0), 19),
    },
    shapeBounds: {
      maxTypes: wholeNumber(env, "REGISTRY_MAX_TYPES", 1000),
      maxDepth: wholeNumber(env, "REGISTRY_MAX_DEPTH", 100),
    },
    publicationsPerMinute: wholeNumber(env, "REGISTRY_PUBLICATIONS_PER_MINUTE", 20),
    publicationBurst: wholeNumber(env, "REGISTRY_PUBLICATION_BURST", 5),
    pollMs: wholeNumber(env, "REGISTRY_POLL_MS", 500),
    usageDays: wholeNumber(env, "REGISTRY_USAGE_DAYS", 7),
    usageFlushMs: wholeNumber(env, "REGISTRY_USAGE_FLUSH_MS", 1000),
  };
}
