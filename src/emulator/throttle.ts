/**
 * LookupEvents' rate limit: "two per second, per account, per Region. If this limit is exceeded, a
 * throttling error occurs" (API_LookupEvents; the quotas page `WhatIsCloudTrail-Limits` lists
 * LookupEvents at 2 TPS, not adjustable). Modelled as one token bucket per account and region that
 * holds `rate` tokens (at least one) and refills at `rate` tokens per second.
 */
export const LOOKUP_EVENTS_TPS = 2;

export type Clock = () => number;

export class TokenBucket {
  readonly #rate: number;
  readonly #capacity: number;
  readonly #now: Clock;
  #tokens: number;
  #updated: number;

  /** `rate` is tokens per second; 0 means unlimited. */
  constructor(rate: number, now: Clock = () => performance.now()) {
    this.#rate = rate;
    this.#capacity = Math.max(1, rate);
    this.#now = now;
    this.#tokens = this.#capacity;
    this.#updated = now();
  }

  /** Takes a token if one is there; false means the caller is over the limit. */
  tryTake(): boolean {
    if (this.#rate === 0) return true;
    const now = this.#now();
    this.#tokens = Math.min(this.#capacity, this.#tokens + ((now - this.#updated) / 1000) * this.#rate);
    this.#updated = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

/** One bucket per key (account and region), made on first use. */
export class RateLimiter {
  readonly #buckets = new Map<string, TokenBucket>();
  readonly #rate: number;
  readonly #now: Clock;

  constructor(rate: number, now: Clock = () => performance.now()) {
    this.#rate = rate;
    this.#now = now;
  }

  tryTake(key: string): boolean {
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      bucket = new TokenBucket(this.#rate, this.#now);
      this.#buckets.set(key, bucket);
    }
    return bucket.tryTake();
  }
}
