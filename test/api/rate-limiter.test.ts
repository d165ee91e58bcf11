import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createRateLimiter, LOOKUP_EVENTS_RATE, RegionRateLimiters } from '../../src/sources/cloudtrail-api/rate-limiter';

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Starts `n` acquisitions at once and records the fake clock when each one is granted. */
async function grantTimes(limiter: ReturnType<typeof createRateLimiter>, n: number): Promise<number[]> {
  const start = Date.now();
  const times: number[] = [];
  const all = Array.from({ length: n }, () => limiter.acquire().then(() => times.push(Date.now() - start)));
  await vi.runAllTimersAsync();
  await Promise.all(all);
  return times;
}

describe('rate limiter', () => {
  test('the default rate is CloudTrail LookupEvents limit of 2 per second', () => {
    expect(LOOKUP_EVENTS_RATE).toBe(2);
  });

  test('spaces concurrent requests 1/rate apart, the first immediately', async () => {
    const times = await grantTimes(createRateLimiter({ rate: 2 }), 5);
    expect(times).toEqual([0, 500, 1000, 1500, 2000]);
  });

  test('honours a configured rate', async () => {
    const times = await grantTimes(createRateLimiter({ rate: 4 }), 3);
    expect(times).toEqual([0, 250, 500]);
  });

  test('an idle limiter does not bank a burst', async () => {
    const limiter = createRateLimiter({ rate: 2 });
    await limiter.acquire();
    await vi.advanceTimersByTimeAsync(10_000);
    const times = await grantTimes(limiter, 3);
    expect(times).toEqual([0, 500, 1000]);
  });

  test('a request after the spacing has passed goes at once', async () => {
    const limiter = createRateLimiter({ rate: 2 });
    await limiter.acquire();
    await vi.advanceTimersByTimeAsync(600);
    let granted = false;
    void limiter.acquire().then(() => (granted = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(granted).toBe(true);
  });

  test('abort rejects a waiting request with the signal reason', async () => {
    const limiter = createRateLimiter({ rate: 1 });
    await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error('stopped'));
    await expect(waiting).rejects.toThrow('stopped');
    await expect(limiter.acquire(controller.signal)).rejects.toThrow('stopped');
  });

  test('rejects a rate that is not positive', () => {
    expect(() => createRateLimiter({ rate: 0 })).toThrow(RangeError);
  });

  test('regions are paced independently, requests within a region together', async () => {
    const limiters = new RegionRateLimiters(2);
    expect(limiters.for('us-east-1')).toBe(limiters.for('us-east-1'));
    const a = await grantTimes(limiters.for('us-east-1'), 2);
    const b = await grantTimes(limiters.for('eu-west-1'), 2);
    expect(a).toEqual([0, 500]);
    expect(b).toEqual([0, 500]);
  });
});
