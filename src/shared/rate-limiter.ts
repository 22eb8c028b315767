// Fixed-window rate limits from rate-limiter-flexible: in process memory by default, in Redis
// when REDIS_URL is set so that several server processes share one budget.
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError } from '../errors.js';

export interface RateLimitRule {
  name: string;
  points: number;
  durationSeconds: number;
}

export interface RateLimitStore {
  limiter(rule: RateLimitRule): RateLimiter;
  close(): Promise<void>;
}

export class RateLimiter {
  constructor(private readonly inner: RateLimiterAbstract, private readonly message: string) {}

  /** Spends one point for `key`; throws RATE_LIMITED (with Retry-After seconds) when none is left. */
  async consume(key: string): Promise<void> {
    try {
      await this.inner.consume(key);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        throw new AppError('RATE_LIMITED', this.message, undefined, Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
      }
      throw new AppError('UNAVAILABLE', 'The rate-limit store is unreachable; try again shortly.');
    }
  }

  async reset(key: string): Promise<void> {
    await this.inner.delete(key);
  }
}

export function createRateLimitStore(redisUrl: string | undefined): RateLimitStore {
  const message = 'Too many attempts; wait before trying again.';
  if (!redisUrl) {
    return {
      limiter: ({ name, points, durationSeconds }) => new RateLimiter(new RateLimiterMemory({ keyPrefix: name, points, duration: durationSeconds }), message),
      close: async () => {},
    };
  }
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false });
  // A Redis outage must not crash the process; the failing request is answered UNAVAILABLE.
  redis.on('error', () => {});
  return {
    limiter: ({ name, points, durationSeconds }) =>
      new RateLimiter(new RateLimiterRedis({ storeClient: redis, keyPrefix: `pcapi:${name}`, points, duration: durationSeconds }), message),
    close: async () => {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
