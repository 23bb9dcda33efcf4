import type { Request, RequestHandler, Response } from "express";
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
  /** Points per window from one client address without a key (`pointsOf`). `RATE_LIMIT_PER_ADDRESS` */
  perAddress: number;
  /** Points per window with one API key or token (`pointsOf`). `RATE_LIMIT_PER_KEY` */
  perKey: number;
  /** Credentials that do not verify, per client address and window. `RATE_LIMIT_FAILED_AUTH` */
  failedAuthentications?: number;
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
    failedAuthentications: number("RATE_LIMIT_FAILED_AUTH", 30),
    windowSeconds: number("RATE_LIMIT_WINDOW_SECONDS", 60),
    redisUrl: env.REDIS_URL || undefined,
    namespace: env.RATE_LIMIT_NAMESPACE || "hub",
  };
}

export interface RateLimiter {
  middleware: RequestHandler;
  close(): Promise<void>;
}

/** The subject of a verified credential, or null when it does not verify. */
export type VerifyCredential = (authorization: string) => Promise<string | null>;

const addressOf = (request: Request) => request.ip ?? request.socket.remoteAddress ?? "unknown";

/**
 * A request counts one point, and one more for each whole 64 KB its body declares: the event loop
 * reads a megabyte in about 8 ms, a query in next to nothing, and a limit of requests alone would
 * let a key send its 6,000 a minute at 2 MB each.
 */
const BODY_BYTES_PER_POINT = 64 * 1024;
/**
 * The largest body a route reads (the admin API's 2 MB): a larger one is refused with 413 before
 * it is read, and its declared length alone must not spend an address's window shared by others.
 */
const LARGEST_BODY_BYTES = 2 * 1024 * 1024;
const pointsOf = (request: Request) => {
  const length = Number(request.get("content-length") ?? 0);
  const counted = Number.isFinite(length) ? Math.min(length, LARGEST_BODY_BYTES) : 0;
  return 1 + Math.floor(counted / BODY_BYTES_PER_POINT);
};

/**
 * Rate limits with rate-limiter-flexible: in memory, or in Redis when `redisUrl` is set so that
 * every gateway process shares the counters. If Redis fails, an in-memory limiter stands in
 * rather than letting every request through or refusing them all.
 *
 * Only a credential that verifies gets a bucket of its own: anything else counts against the
 * caller's address, so that a new junk credential per request dodges nothing, and a credential
 * that fails also counts against a tighter limit per address, past which no credential from
 * that address is even looked up.
 */
export async function createRateLimiter(
  options: RateLimitOptions,
  verify: VerifyCredential,
): Promise<RateLimiter> {
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
    failed: limiter(options.failedAuthentications ?? 30, `${namespace}:rate:failed`),
  };
  const refuse = (response: Response, rejection: RateLimiterRes) => {
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
  };

  return {
    middleware: async (request, response, next) => {
      const address = addressOf(request);
      const authorization = request.get("authorization");
      const points = pointsOf(request);
      try {
        let counted: RateLimiterRes;
        if (!authorization) counted = await limiters.address.consume(address, points);
        else {
          const failures = await limiters.failed.get(address);
          if (failures && failures.remainingPoints <= 0) return refuse(response, failures);
          const subject = await verify(authorization);
          if (subject) counted = await limiters.key.consume(subject, points);
          else {
            await limiters.failed.consume(address);
            counted = await limiters.address.consume(address, points);
          }
        }
        response.setHeader("RateLimit-Remaining", String(counted.remainingPoints));
        next();
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) return next(rejection);
        refuse(response, rejection);
      }
    },
    close: async () => {
      await redis?.quit().catch(() => redis.disconnect());
    },
  };
}
