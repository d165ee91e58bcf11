/** When the local scan starts its workers: only when the work left on the calling thread is worth their start-up. */
import { describe, expect, it } from 'vitest';
import { WorkerPayoff } from '../../src/scan/worker-payoff';

const MB = 1 << 20;

describe('WorkerPayoff', () => {
  it('starts workers after the given scanning time, whatever the work left (as tests ask)', () => {
    const payoff = new WorkerPayoff(0);
    expect(payoff.due).toBe(false);
    payoff.scannedHere(1000, 0.5);
    expect(payoff.due).toBe(true);
  });

  it('leaves a cheap scan (a literal search) of 60 MB on the calling thread, not of 1 GB', () => {
    const small = new WorkerPayoff();
    small.found(60 * MB);
    const large = new WorkerPayoff();
    large.found(1024 * MB);
    for (const payoff of [small, large]) for (let i = 0; i < 40; i++) payoff.scannedHere(MB, 1);
    expect(small.due).toBe(false);
    expect(large.due).toBe(true); // 1 ms a MB over 984 MB left
  });

  it('starts workers for a costly scan of a large input once its rate is measured past the warm-up', () => {
    const payoff = new WorkerPayoff();
    payoff.found(60 * MB);
    payoff.scannedHere(MB, 15);
    expect(payoff.due).toBe(false); // still warming up
    payoff.scannedHere(MB, 10);
    expect(payoff.due).toBe(false); // not measured for long enough after it
    payoff.scannedHere(2 * MB, 20);
    expect(payoff.due).toBe(true); // 10 ms a MB over 56 MB left
  });

  it('does not count the warm-up against a scan that is cheap once optimised', () => {
    const payoff = new WorkerPayoff();
    payoff.found(60 * MB);
    payoff.scannedHere(2 * MB, 25); // the JIT warming up
    for (let i = 0; i < 20; i++) payoff.scannedHere(MB, 1.5);
    expect(payoff.due).toBe(false);
  });

  it('stops projecting once what is left is small, and counts what workers were handed', () => {
    const payoff = new WorkerPayoff();
    payoff.found(60 * MB);
    payoff.handedOn(50 * MB);
    payoff.scannedHere(2 * MB, 25);
    payoff.scannedHere(4 * MB, 40);
    expect(payoff.due).toBe(false); // 10 ms a MB over 4 MB left
  });

  it('falls back to scanning time when no input size is known (stdin, S3)', () => {
    const payoff = new WorkerPayoff();
    payoff.scannedHere(MB, 200);
    expect(payoff.due).toBe(false);
    payoff.scannedHere(MB, 60);
    expect(payoff.due).toBe(true);
  });
});
