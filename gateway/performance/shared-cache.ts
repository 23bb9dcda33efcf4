import { createHash } from "node:crypto";
import {
  ErrorsAreMissesCache,
  InMemoryLRUCache,
  type KeyValueCache,
} from "@apollo/utils.keyvaluecache";
import { Redis } from "ioredis";
import { wholeNumber } from "../../lib/config.js";

/** What the gateway caches: whole answers, and subgraph fetches. */
export type CacheKind = "response" | "fetch";

export interface CacheEntry {
  value: string;
  /** The lifetime it was stored with, in seconds. */
  maxAge: number;
  /** Seconds since it was stored, by the clock of whichever process stored it. */
  age: number;
}

export interface SharedCacheOptions {
  /** Shared by every gateway process of the deployment. `REDIS_URL` */
  redisUrl?: string | undefined;
  /** The in-memory cache's bound when there is no Redis. `CACHE_MAX_MB` */
  maxMegabytes: number;
}

export function readSharedCacheOptions(env: NodeJS.ProcessEnv = process.env): SharedCacheOptions {
  return {
    redisUrl: env.REDIS_URL || undefined,
    maxMegabytes: wholeNumber(env, "CACHE_MAX_MB", 32, 1),
  };
}

/** An entry larger than this is not kept: one answer must not push out hundreds of pages. */
const MAX_ENTRY_BYTES = 1 << 20;

/**
 * The gateway's cache of answers and subgraph fetches: in memory (an LRU bounded in bytes), or in
 * Redis so that every gateway process of a deployment shares it. An entry carries the time it was
 * stored, so that a hit tells its age and expires after the lifetime it was stored with, by
 * `now`, whatever the store keeps. When Redis fails, a lookup is a miss: never an error.
 */
export class SharedCache {
  constructor(
    private readonly store: KeyValueCache<string>,
    private readonly onLookup: (kind: CacheKind, hit: boolean) => void = () => {},
    private readonly now: () => number = Date.now,
    private readonly onClose: () => Promise<void> = async () => {},
  ) {}

  async get(kind: CacheKind, key: string): Promise<CacheEntry | undefined> {
    const stored = await this.store.get(`${kind}:${key}`);
    const entry = stored === undefined ? undefined : this.read(stored);
    this.onLookup(kind, entry !== undefined);
    return entry;
  }

  /** Keeps `value` for `maxAge` seconds; a write Redis refuses is lost, never an error. */
  async set(kind: CacheKind, key: string, value: string, maxAge: number): Promise<void> {
    if (maxAge <= 0 || value.length > MAX_ENTRY_BYTES) return;
    await this.store
      .set(`${kind}:${key}`, `${this.now()} ${maxAge}\n${value}`, { ttl: maxAge })
      .catch(() => {});
  }

  close(): Promise<void> {
    return this.onClose();
  }

  private read(stored: string): CacheEntry | undefined {
    const newline = stored.indexOf("\n");
    const [storedAt, maxAge] = stored.slice(0, newline).split(" ").map(Number) as [number, number];
    const age = Math.max(0, Math.floor((this.now() - storedAt) / 1000));
    if (this.now() >= storedAt + maxAge * 1000) return undefined;
    return { value: stored.slice(newline + 1), maxAge, age };
  }
}

/**
 * Keys of one deployment: gateways that sign identities with the same secret share entries; a
 * hub with another secret (another deployment, a test's) on the same Redis never reads them.
 */
export function deploymentNamespace(secret: Uint8Array): string {
  return `hub:cache:${createHash("sha256").update(secret).digest("hex").slice(0, 16)}:`;
}

/** A Redis store whose entries expire with Redis's own TTL. */
class RedisStore implements KeyValueCache<string> {
  constructor(
    readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(this.prefix + key)) ?? undefined;
  }

  async set(key: string, value: string, options?: { ttl?: number | null }): Promise<void> {
    if (options?.ttl) await this.redis.set(this.prefix + key, value, "PX", options.ttl * 1000);
  }

  async delete(key: string): Promise<boolean> {
    return (await this.redis.del(this.prefix + key)) > 0;
  }
}

export async function createSharedCache(
  { redisUrl, maxMegabytes }: SharedCacheOptions,
  namespace: string,
  onLookup?: (kind: CacheKind, hit: boolean) => void,
  now?: () => number,
): Promise<SharedCache> {
  if (!redisUrl)
    return new SharedCache(
      new InMemoryLRUCache<string>({
        maxSize: maxMegabytes * 1024 * 1024,
        sizeCalculation: InMemoryLRUCache.sizeCalculation,
      }),
      onLookup,
      now,
    );
  const redis = new Redis(redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    lazyConnect: true,
  });
  redis.on("error", () => {}); // a lookup that fails is a miss; ioredis reconnects by itself
  await redis.connect().catch(() => {});
  return new SharedCache(
    new ErrorsAreMissesCache(new RedisStore(redis, namespace)),
    onLookup,
    now,
    async () => {
      await redis.quit().catch(() => redis.disconnect());
    },
  );
}
