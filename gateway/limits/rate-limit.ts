import { createHash } from "node:crypto";
import type { Request, RequestHandler } from "express";
import { Redis } from "ioredis";
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from "rate-limiter-flexible";
import { wholeNumber } from "../../lib/config.js";
import { log } from "../../lib/log.js";

export interface RateLimitOptions {
  /** Requests per window from one client address without a key. `RATE_LIMIT_PER_ADDRESS` */
  perAddress: number;
  /** Requests per window with one API key or token. `RATE_LIMIT_PER_KEY` */
  perKey: number;
  /** `RATE_LIMIT_WINDOW_SECONDS` */
  windowSeconds: number;
  /** Shared counters for several gateway processes. `REDIS_URL` */
  redisUrl?: string | undefined;
  /** Prefix of the counters' keys, so that several hubs can share one Redis. `RATE_LIMIT_NAMESPACE` */
  namespace?: string;
}

export function readRateLimitOptions(env: NodeJS.ProcessEnv = process.env): RateLimitOptions {
  const number = (name: string, fallback: number) => wholeNumber(env, name, fallback);
  return {
    perAddress: number("RATE_LIMIT_PER_ADDRESS", 1200),
    perKey: number("RATE_LIMIT_PER_KEY", 6000),
    windowSeconds: number("RATE_LIMIT_WINDOW_SECONDS", 60),
    redisUrl: env.REDIS_URL || undefined,
    namespace: env.RATE_LIMIT_NAMESPACE || "hub",
  };
}

export interface RateLimiter {
  middleware: RequestHandler;
  close(): Promise<void>;
}

/** Who a request counts against: its credential when it has one (hashed), else its address. */
function clientOf(request: Request): { kind: "key" | "address"; id: string } {
  const authorization = request.get("authorization");
  if (authorization)
    return {
      kind: "key",
      id: createHash("sha256").update(authorization).digest("hex").slice(0, 32),
    };
  return { kind: "address", id: request.ip ?? request.socket.remoteAddress ?? "unknown" };
}

/**
 * Rate limits with rate-limiter-flexible: in memory, or in Redis when `redisUrl` is set so that
 * every gateway process shares the counters. If Redis fails, an in-memory limiter stands in
 * rather than letting every request through or refusing them all.
 */
export async function createRateLimiter(options: RateLimitOptions): Promise<RateLimiter> {
  const redis = options.redisUrl
    ? new Redis(options.redisUrl, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        lazyConnect: true,
      })
    : undefined;
  redis?.on("error", () => {}); // the insurance limiter covers outages; ioredis reconnects by itself
  // Counters are shared from the first request; a Redis that is down at start is waited for no longer than this.
  await redis
    ?.connect()
    .catch((error: unknown) =>
      log.error("rate limits: Redis unreachable, counting in memory until it answers", error),
    );
  const limiter = (points: number, keyPrefix: string): RateLimiterAbstract => {
    const memory = new RateLimiterMemory({ points, duration: options.windowSeconds, keyPrefix });
    return redis
      ? new RateLimiterRedis({
          storeClient: redis,
          points,
          duration: options.windowSeconds,
          keyPrefix,
          insuranceLimiter: memory,
        })
      : memory;
  };
  const namespace = options.namespace ?? "hub";
  const limiters = {
    key: limiter(options.perKey, `${namespace}:rate:key`),
    address: limiter(options.perAddress, `${namespace}:rate:address`),
  };

  return {
    middleware: async (request, response, next) => {
      const client = clientOf(request);
      try {
        const result = await limiters[client.kind].consume(client.id);
        response.setHeader("RateLimit-Remaining", String(result.remainingPoints));
        next();
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) return next(rejection);
        const retryAfterSeconds = Math.ceil(rejection.msBeforeNext / 1000);
        response.setHeader("Retry-After", String(retryAfterSeconds));
        response.status(429).json({
          errors: [
            {
              message: `Trop de requêtes : réessayez dans ${retryAfterSeconds} s.`,
              extensions: { code: "RATE_LIMITED", retryAfterSeconds },
            },
          ],
        });
      }
    },
    close: async () => {
      await redis?.quit().catch(() => redis.disconnect());
    },
  };
}
