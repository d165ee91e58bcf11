/** When the local scan starts its workers: only when the work left on the calling thread is worth their start-up. */
import { describe, expect, it } from 'vitest';
import { WorkerPayoff, workerThresholds } from '../../src/scan/worker-payoff';

/** A machine of more than two CPUs, where the projections below are made against the lower thresholds. */
const CPUS = 8;

const MB = 1 << 20;

describe('WorkerPayoff', () => {
  it('starts workers after the given scanning time, whatever the work left (as tests ask)', () => {
    const payoff = new WorkerPayoff(0);
    expect(payoff.due).toBe(false);
    payoff.scannedHere(1000, 0.5);
    expect(payoff.due).toBe(true);
  });

  it('leaves a cheap scan (a literal search) of 60 MB on the calling thread, not of 1 GB', () => {
    const small = new WorkerPayoff(undefined, CPUS);
    small.found(60 * MB);
    const large = new WorkerPayoff(undefined, CPUS);
    large.found(1024 * MB);
    for (const payoff of [small, large]) for (let i = 0; i < 40; i++) payoff.scannedHere(MB, 1);
    expect(small.due).toBe(false);
    expect(large.due).toBe(true); // 1 ms a MB over 984 MB left
  });

  it('starts workers for a costly scan of a large input once its rate is measured past the warm-up', () => {
    const payoff = new WorkerPayoff(undefined, CPUS);
    payoff.found(60 * MB);
    payoff.scannedHere(MB, 15);
    expect(payoff.due).toBe(false); // still warming up
    payoff.scannedHere(MB, 10);
    expect(payoff.due).toBe(false); // not measured for long enough after it
    payoff.scannedHere(2 * MB, 20);
    expect(payoff.due).toBe(true); // 10 ms a MB over 56 MB left
  });

  it('does not count the warm-up against a scan that is cheap once optimised', () => {
    const payoff = new WorkerPayoff(undefined, CPUS);
    payoff.found(60 * MB);
    payoff.scannedHere(2 * MB, 25); // the JIT warming up
    for (let i = 0; i < 20; i++) payoff.scannedHere(MB, 1.5);
    expect(payoff.due).toBe(false);
  });

  it('stops projecting once what is left is small, and counts what workers were handed', () => {
    const payoff = new WorkerPayoff(undefined, CPUS);
    payoff.found(60 * MB);
    payoff.handedOn(50 * MB);
    payoff.scannedHere(2 * MB, 25);
    payoff.scannedHere(4 * MB, 40);
    expect(payoff.due).toBe(false); // 10 ms a MB over 4 MB left
  });

  it('falls back to scanning time when no input size is known (stdin, S3)', () => {
    const payoff = new WorkerPayoff(undefined, CPUS);
    payoff.scannedHere(MB, 200);
    expect(payoff.due).toBe(false);
    payoff.scannedHere(MB, 60);
    expect(payoff.due).toBe(true);
  });

  it('with two CPUs or fewer, measures later and leaves to the calling thread a scan projected under a second and a half', () => {
    const scanned = (payoff: WorkerPayoff, megabytes: number, msEach: number) => {
      for (let i = 0; i < megabytes; i++) payoff.scannedHere(MB, msEach);
    };
    const four = new WorkerPayoff(undefined, 4);
    four.found(1024 * MB);
    scanned(four, 40, 1);
    expect(four.due).toBe(true); // 1 ms a MB over 984 MB left
    const early = new WorkerPayoff(undefined, 2);
    early.found(4096 * MB);
    scanned(early, 100, 1);
    expect(early.due).toBe(false); // 100 ms: still warming up, however long the scan looks
    const two = new WorkerPayoff(undefined, 2);
    two.found(1024 * MB);
    scanned(two, 250, 1);
    expect(two.due).toBe(false); // 774 ms left
    const long = new WorkerPayoff(undefined, 2);
    long.found(2048 * MB);
    scanned(long, 250, 1);
    expect(long.due).toBe(true); // 1,798 ms left
    const unsized = new WorkerPayoff(undefined, 2);
    unsized.scannedHere(MB, 400);
    expect(unsized.due).toBe(false);
    unsized.scannedHere(MB, 700);
    expect(unsized.due).toBe(true);
  });
});
