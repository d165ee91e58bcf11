/**
 * Whole-process timing for the benchmarks: commands run in turn (A B A B …) so machine drift hits
 * both alike, and the figure quoted is the median of the per-pair ratios. Times are reported only as
 * context; the ratios are the result.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Timed {
  readonly medianMs: number;
  readonly stdoutBytes: number;
  readonly stdoutLines: number;
}

/**
 * Runs `command` once, its stdout going to a file that is read after the clock stops. Captured
 * through a pipe into this process, the output cost the command time of its own: a pipe is written
 * synchronously by Node, in 64 KiB steps paced by this process's reading (a broad query measured
 * 1.06 s here and 0.56–0.84 s run by hand).
 */
export function timeOnce(command: string): { ms: number; stdout: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ctq-bench-'));
  const out = join(dir, 'stdout');
  try {
    const start = process.hrtime.bigint();
    const result = spawnSync('bash', ['-o', 'pipefail', '-c', `{ ${command}\n} > ${out}`], { encoding: 'utf8', maxBuffer: 1 << 30 });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new Error(`benchmark command failed (${result.status}): ${command}\n${result.stderr}`);
    return { ms, stdout: readFileSync(out, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Runs A and B alternately `runs` times after one warm-up each; returns medians, the median of A/B and every pair's A/B. */
export function pair(a: string, b: string, runs: number): { a: Timed; b: Timed; ratio: number; ratios: readonly number[] } {
  timeOnce(a);
  timeOnce(b);
  const aMs: number[] = [];
  const bMs: number[] = [];
  const ratios: number[] = [];
  let aOut = '';
  let bOut = '';
  for (let i = 0; i < runs; i++) {
    const ra = timeOnce(a);
    const rb = timeOnce(b);
    aMs.push(ra.ms);
    bMs.push(rb.ms);
    ratios.push(ra.ms / rb.ms);
    aOut = ra.stdout;
    bOut = rb.stdout;
  }
  const stat = (ms: number[], out: string): Timed => ({ medianMs: median(ms), stdoutBytes: out.length, stdoutLines: countLines(out) });
  return { a: stat(aMs, aOut), b: stat(bMs, bOut), ratio: median(ratios), ratios };
}

export function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
