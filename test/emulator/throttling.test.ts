/** The LookupEvents rate limit, as the SDK's error classification and standard retry see it. */
import { describe, expect, it } from 'vitest';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { TokenBucket } from '../../src/emulator/throttle';
import { syntheticEvents } from '../support/synthetic-events';
import { clientFor, harnessPerTest, idsOf, lookupAll, rejection } from './harness';

const records = syntheticEvents({ count: 120, seed: 3, regions: ['us-east-1', 'eu-west-1'] });

const emulators = harnessPerTest();

describe('rate limit', () => {
  it('answers ThrottlingException (HTTP 400) once the bucket is empty', async () => {
    const harness = await emulators.start(records, { rate: 1 });
    const client = clientFor(harness.emulator.url, 'us-east-1', { maxAttempts: 1 });
    await client.send(new LookupEventsCommand({ MaxResults: 1 }));
    const error = await rejection(client.send(new LookupEventsCommand({ MaxResults: 1 })));
    expect(error.name).toBe('ThrottlingException');
    expect(error.$metadata?.httpStatusCode).toBe(400);
    expect(harness.emulator.counters.throttled).toBe(1);
  });

  it('limits each account and region separately', async () => {
    const harness = await emulators.start(records, { rate: 1 });
    await clientFor(harness.emulator.url, 'us-east-1', { maxAttempts: 1 }).send(new LookupEventsCommand({ MaxResults: 1 }));
    const other = await clientFor(harness.emulator.url, 'eu-west-1', { maxAttempts: 1 }).send(new LookupEventsCommand({ MaxResults: 1 }));
    expect(other.Events).toHaveLength(1);
  });

  it('defaults to the documented two requests per second', async () => {
    const harness = await emulators.start(records, { rate: undefined });
    const client = clientFor(harness.emulator.url, 'us-east-1', { maxAttempts: 1 });
    const results = await Promise.allSettled([1, 2, 3].map(() => client.send(new LookupEventsCommand({ MaxResults: 1 }))));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(2);
    const [throttled] = results.filter((result) => result.status === 'rejected');
    expect((throttled?.reason as Error).name).toBe('ThrottlingException');
  });

  it("recovers through the SDK's standard retry strategy", async () => {
    const harness = await emulators.start(records, { rate: 4 });
    const client = clientFor(harness.emulator.url, 'us-east-1', { maxAttempts: 10 });
    const all = await lookupAll(client, {}, 5);
    expect(new Set(idsOf(all)).size).toBe(records.filter((record) => record['awsRegion'] === 'us-east-1').length);
    expect(harness.emulator.counters.throttled).toBeGreaterThan(0);
  });

  it('is off with rate 0', async () => {
    const harness = await emulators.start(records, { rate: 0 });
    const client = clientFor(harness.emulator.url, 'us-east-1', { maxAttempts: 1 });
    await Promise.all(Array.from({ length: 20 }, () => client.send(new LookupEventsCommand({ MaxResults: 1 }))));
    expect(harness.emulator.counters.throttled).toBe(0);
  });
});

describe('TokenBucket', () => {
  it('holds `rate` tokens and refills at `rate` per second', () => {
    let now = 0;
    const bucket = new TokenBucket(2, () => now);
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([true, true, false]);
    now = 499;
    expect(bucket.tryTake()).toBe(false);
    now = 500;
    expect(bucket.tryTake()).toBe(true);
    now = 10_000;
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([true, true, false]);
  });

  it('allows one request at a time below one per second', () => {
    let now = 0;
    const bucket = new TokenBucket(0.5, () => now);
    expect([bucket.tryTake(), bucket.tryTake()]).toEqual([true, false]);
    now = 2000;
    expect(bucket.tryTake()).toBe(true);
  });
});
