/**
 * Client-side pacing of LookupEvents calls, so CloudTrail's throttle is rarely met rather than being
 * the control loop.
 *
 * "The rate of lookup requests is limited to two per second, per account, per Region. If this limit
 * is exceeded, a throttling error occurs." (CloudTrail API Reference, API_LookupEvents.html; the
 * user guide's quota page, WhatIsCloudTrail-Limits.md, excludes LookupEvents from the 10 TPS of the
 * other read APIs.)
 *
 * The limiter hands out evenly spaced slots, 1/rate seconds apart, with no burst: a burst would be
 * spent on calls CloudTrail could throttle, and steady spacing already reaches the full rate.
 */

/** LookupEvents calls per second, per account, per region (API_LookupEvents.html). */
export const LOOKUP_EVENTS_RATE = 2;

export interface RateLimiter {
  /** Resolves when the caller may send one request; rejects with the signal's reason on abort. */
  acquire(signal?: AbortSignal): Promise<void>;
  readonly rate: number;
}

export interface RateLimiterOptions {
  /** Requests per second. */
  readonly rate: number;
  /** Milliseconds clock; tests use fake timers, which also fake `Date.now`. */
  readonly now?: () => number;
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { rate } = options;
  if (!(rate > 0) || !Number.isFinite(rate)) throw new RangeError(`rate must be a positive number of requests per second, got ${rate}`);
  const now = options.now ?? Date.now;
  const spacing = 1000 / rate;
  let nextSlot = -Infinity;
  return {
    rate,
    acquire(signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      const t = now();
      const slot = Math.max(t, nextSlot);
      nextSlot = slot + spacing;
      const wait = slot - t;
      if (wait <= 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const onAbort = (): void => {
          clearTimeout(timer);
          reject(signal?.reason);
        };
        const timer = setTimeout(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, wait);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}

/** One limiter per region: the limit is per account per region, and one run uses one account. */
export class RegionRateLimiters {
  private readonly limiters = new Map<string, RateLimiter>();

  constructor(private readonly rate: number = LOOKUP_EVENTS_RATE) {}

  for(region: string): RateLimiter {
    let limiter = this.limiters.get(region);
    if (limiter === undefined) {
      limiter = createRateLimiter({ rate: this.rate });
      this.limiters.set(region, limiter);
    }
    return limiter;
  }
}
