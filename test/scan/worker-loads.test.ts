import { describe, expect, it } from 'vitest';
import { WorkerLoads } from '../../src/scan/scan-pool';

describe('WorkerLoads', () => {
  it('spreads alternating small and full chunks over both workers (in turn, one worker got every full chunk)', () => {
    // Two workers of equal speed, six chunks in flight at most (the scan's limit for two workers);
    // the reader's pattern: the line straddling two reads as a chunk of its own, then a full one.
    const loads = new WorkerLoads(2);
    const busyUntil = [0, 0];
    const inFlight: { worker: number; bytes: number; doneAt: number }[] = [];
    const fullChunks = [0, 0];
    let now = 0;
    for (let i = 0; i < 200; i++) {
      const bytes = i % 2 === 0 ? 900 : 1 << 20;
      if (inFlight.length === 6) {
        // Wait for the earliest answer.
        inFlight.sort((a, b) => a.doneAt - b.doneAt);
        const first = inFlight.shift()!;
        now = Math.max(now, first.doneAt);
        loads.done(first.worker, first.bytes);
      }
      const worker = loads.assign(bytes);
      busyUntil[worker] = Math.max(busyUntil[worker]!, now) + bytes;
      inFlight.push({ worker, bytes, doneAt: busyUntil[worker]! });
      if (bytes > 900) fullChunks[worker]!++;
    }
    expect(Math.min(...fullChunks)).toBeGreaterThanOrEqual(45);
    // Both finish within a chunk of each other: neither waits while the other works through a backlog.
    expect(Math.abs(busyUntil[0]! - busyUntil[1]!)).toBeLessThanOrEqual((1 << 20) + 900);
  });

  it('sends work to an idle worker before a busy one, and counts answered work off', () => {
    const loads = new WorkerLoads(3);
    expect(loads.assign(100)).toBe(0);
    expect(loads.assign(50)).toBe(1);
    expect(loads.assign(10)).toBe(2);
    expect(loads.assign(10)).toBe(2);
    loads.done(0, 100);
    expect(loads.assign(1)).toBe(0);
  });
});
