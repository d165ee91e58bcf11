/**
 * When starting scan workers pays for itself. Each worker boots Node again and loads and compiles
 * the bundle (about 100 ms of CPU, on the cores the scan is using, of which Node's own start is
 * 60–80), and copies each chunk it is sent out of shared memory. A scan that mostly searches for a literal (`errorCode == "AccessDenied"`: a
 * native search through each chunk, a parse of one record in fifty) reads 60 MB in about a quarter
 * of a second on one thread, so workers only made it slower: on two cores, `--workers 1` used half
 * the CPU time of the default. So the calling thread scans first and measures its cost per byte;
 * workers start when that rate, over the input found but not yet scanned, exceeds `workerThresholds`.
 */
import { availableParallelism } from 'node:os';
import type { Chunk } from '../sources/local/chunks';

/**
 * When the rate is measured and what it must project. `warmUpMs` of scanning on this thread are left out of
 * the rate: the first megabytes run before the JIT has optimised the splitter, at several times the later
 * cost per byte (a selective query over 60 MB: 16 ms for the first 5 MB, 41 ms for the other 55), and the
 * clock is the process's, so the compiler's own threads count. The rate is trusted after `sampleMs` more.
 * Workers start when this thread's projected work left exceeds `payoffMs`; with no sizes to project from
 * (stdin, S3 objects), after `unsizedAfterMs` of scanning. Below that, the time workers take to start is
 * about what they would save.
 *
 * With two CPUs or fewer they save little at all, since they compete with this thread (which reads, hands
 * chunks over and writes) for the same two: measured on a 2-vCPU machine (README, "Workers do not pay on this
 * machine"), two workers made literal-filtered scans of 0.6–1 s on one thread 6–26% slower at 1.5× the CPU, and
 * made scans of ~2 s (every event, identity modes) 10–12% faster. There the rate over a plain scan's first
 * 150 ms of CPU was still 3–5× its cost once warm (150 MB, `$.readOnly == false`: 20 ms a MB, then 5), which
 * projected four seconds of work for a scan of 0.7; so the rate is taken later, and must project more.
 */
export function workerThresholds(cpus: number): WorkerThresholds {
  return cpus > 2
    ? { manyCpus: true, warmUpMs: 20, sampleMs: 20, payoffMs: 400, unsizedAfterMs: 250 }
    : { manyCpus: false, warmUpMs: 150, sampleMs: 60, payoffMs: 1500, unsizedAfterMs: 1000 };
}

interface WorkerThresholds {
  /** More than two CPUs: workers pay on scans of a few hundred ms. */
  readonly manyCpus: boolean;
  readonly warmUpMs: number;
  readonly sampleMs: number;
  readonly payoffMs: number;
  readonly unsizedAfterMs: number;
}

/** A gzipped trail file holds about ten times its size in JSON (an overestimate: real-shaped trees run ~6). */
export const GZIP_RATIO = 10;

/** A chunk's work, roughly, in bytes of JSON text: what the payoff counts, and what the pool balances workers on. */
export function workOf(chunk: Chunk): number {
  if (chunk.format === 'unreadable') return 0;
  return chunk.format === 'gzip' ? chunk.bytes.length * GZIP_RATIO : chunk.bytes.length;
}

export class WorkerPayoff {
  /** JSON bytes (estimated for gzips) of the inputs found so far. */
  private knownBytes = 0;
  /** Of those, scanned here or handed to workers. */
  private doneBytes = 0;
  private scannedHereBytes = 0;
  private scanningMs = 0;
  /** Where the warm-up ended: the rate is measured from here. */
  private warm: { readonly bytes: number; readonly ms: number } | null = null;

  private readonly thresholds: WorkerThresholds;

  /**
   * `afterMs`: when set, workers start after that much scanning here, whatever the projection (tests use 0).
   * `cpus`: the CPUs this process may use, asked when the scan starts (never at load: the startup snapshot
   * would keep the build machine's count).
   */
  constructor(
    private readonly afterMs?: number,
    cpus: number = availableParallelism(),
  ) {
    this.thresholds = workerThresholds(cpus);
  }

  /** More than two CPUs: workers pay on scans of a few hundred ms (see `workerThresholds`). */
  get manyCpus(): boolean {
    return this.thresholds.manyCpus;
  }

  found(jsonBytes: number): void {
    this.knownBytes += jsonBytes;
  }

  handedOn(jsonBytes: number): void {
    this.doneBytes += jsonBytes;
  }

  scannedHere(jsonBytes: number, ms: number): void {
    this.doneBytes += jsonBytes;
    this.scannedHereBytes += jsonBytes;
    this.scanningMs += ms;
    if (this.warm === null && this.scanningMs >= this.thresholds.warmUpMs) this.warm = { bytes: this.scannedHereBytes, ms: this.scanningMs };
  }

  /** Whether workers should start now. */
  get due(): boolean {
    // A slice scanned between two readings of the CPU clock counts 0 ms: with 0, any slice will do.
    if (this.afterMs !== undefined) return this.scannedHereBytes > 0 && this.scanningMs >= this.afterMs;
    if (this.knownBytes === 0) return this.scanningMs > this.thresholds.unsizedAfterMs;
    const { warm } = this;
    if (warm === null || this.scanningMs - warm.ms < this.thresholds.sampleMs || this.scannedHereBytes === warm.bytes) return false;
    const msPerByte = (this.scanningMs - warm.ms) / (this.scannedHereBytes - warm.bytes);
    return msPerByte * Math.max(0, this.knownBytes - this.doneBytes) > this.thresholds.payoffMs;
  }
}
