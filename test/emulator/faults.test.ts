/** Injected faults: the SDK sees them as the transient errors they imitate, and a seed replays them. */
import { describe, expect, it } from 'vitest';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { FaultInjector, NO_FAULTS } from '../../src/emulator/faults';
import { syntheticEvents } from '../support/synthetic-events';
import { clientFor, expectedIds, idsOf, lookupAll, harnessPerTest, rejection } from './harness';

const region = 'us-east-1';
const records = syntheticEvents({ count: 100, seed: 13, regions: [region] });

const emulators = harnessPerTest();

describe('fault injection', () => {
  const transient = [
    { fault: 'HTTP 500/503 answers at --error-rate', faults: { errorRate: 0.4, seed: 42 }, counter: 'injectedErrors' },
    { fault: 'dropped connections at --drop-rate', faults: { dropRate: 0.3, seed: 7 }, counter: 'dropped' },
  ] as const;

  it.each(transient)('injects $fault, and the SDK retries through them', async ({ faults, counter }) => {
    const harness = await emulators.start(records, { faults });
    const events = await lookupAll(clientFor(harness.emulator.url, region, { maxAttempts: 10 }), {}, 10);
    expect(idsOf(events).sort()).toEqual(expectedIds(records, () => true));
    expect(harness.emulator.counters[counter]).toBeGreaterThan(0);
  });

  it('surfaces an injected error by status when retries are off', async () => {
    const harness = await emulators.start(records, { faults: { errorRate: 1, seed: 1 } });
    const error = await rejection(clientFor(harness.emulator.url, region, { maxAttempts: 1 }).send(new LookupEventsCommand({})));
    expect([500, 503]).toContain(error.$metadata?.httpStatusCode);
    expect(['InternalFailure', 'ServiceUnavailable']).toContain(error.name);
  });

  it('throttles at --throttle-rate on top of the rate limit', async () => {
    const harness = await emulators.start(records, { faults: { throttleRate: 1, seed: 3 } });
    const error = await rejection(clientFor(harness.emulator.url, region, { maxAttempts: 1 }).send(new LookupEventsCommand({})));
    expect(error.name).toBe('ThrottlingException');
  });

  it('acts restarted at --restart-rate: a NextToken issued before the restart is refused', async () => {
    const harness = await emulators.start(records, { faults: { restartRate: 1, seed: 5 } });
    const client = clientFor(harness.emulator.url, region, { maxAttempts: 1 });
    const first = await client.send(new LookupEventsCommand({ MaxResults: 10 }));
    expect(first.NextToken).toBeDefined();
    const error = await rejection(client.send(new LookupEventsCommand({ MaxResults: 10, NextToken: first.NextToken })));
    expect(error.name).toBe('InvalidNextTokenException');
    expect(harness.emulator.counters.restarts).toBe(2);
  });

  it('delays every answer by --latency', async () => {
    const harness = await emulators.start(records, { faults: { latencyMs: 150 } });
    const client = clientFor(harness.emulator.url, region);
    const started = performance.now();
    await client.send(new LookupEventsCommand({ MaxResults: 1 }));
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('replays the same faults for the same seed', () => {
    const options = { ...NO_FAULTS, errorRate: 0.3, dropRate: 0.2, throttleRate: 0.2 };
    const draw = (seed: number) => {
      const injector = new FaultInjector({ ...options, seed });
      return Array.from({ length: 50 }, () => injector.next());
    };
    expect(draw(9)).toEqual(draw(9));
    expect(draw(9)).not.toEqual(draw(10));
    expect(new Set(draw(9))).toEqual(new Set(['none', 'drop', 'internal-failure', 'service-unavailable', 'throttle']));
  });
});
