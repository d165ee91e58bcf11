/**
 * When starting scan workers pays for itself. Each worker boots Node again and loads and compiles
 * the bundle (about 100 ms of CPU, on the cores the scan is using, of which Node's own start is
 * 60–80), and copies each chunk it is sent out of shared memory. A scan that mostly searches for a literal (`errorCode == "AccessDenied"`: a
 * native search through each chunk, a parse of one record in fifty) reads 60 MB in about a quarter
 * of a second on one thread, so workers only made it slower: on two cores, `--workers 1` used half
 * the CPU time of the default. So the calling thread scans first and measures its cost per byte;
 * workers start when that rate, over the input found but not yet scanned, exceeds `PAYOFF_MS`.
 */
import type { Chunk } from '../sources/local/chunks';

/**
 * Scanning on this thread left out of the rate: the first megabytes run before the JIT has
 * optimised the splitter, at several times the later cost per byte (a selective query over 60 MB:
 * 16 ms for the first 5 MB, 41 ms for the other 55).
 */
const WARM_UP_MS = 20;
/** Scanning measured after the warm-up before the rate is trusted. */
const SAMPLE_MS = 20;
/**
 * Workers start when this thread's projected work left exceeds this. Below it, the time workers take
 * to start (while competing for the same two cores) is about what they would save.
 */
const PAYOFF_MS = 400;
/** With no sizes to project from (stdin, S3 objects), workers start after this much scanning. */
const UNSIZED_AFTER_MS = 250;

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

  /** `afterMs`: when set, workers start after that much scanning here, whatever the projection (tests use 0). */
  constructor(private readonly afterMs?: number) {}

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
    if (this.warm === null && this.scanningMs >= WARM_UP_MS) this.warm = { bytes: this.scannedHereBytes, ms: this.scanningMs };
  }

  /** Whether workers should start now. */
  get due(): boolean {
    // A slice scanned between two readings of the CPU clock counts 0 ms: with 0, any slice will do.
    if (this.afterMs !== undefined) return this.scannedHereBytes > 0 && this.scanningMs >= this.afterMs;
    if (this.knownBytes === 0) return this.scanningMs > UNSIZED_AFTER_MS;
    const { warm } = this;
    if (warm === null || this.scanningMs - warm.ms < SAMPLE_MS || this.scannedHereBytes === warm.bytes) return false;
    const msPerByte = (this.scanningMs - warm.ms) / (this.scannedHereBytes - warm.bytes);
    return msPerByte * Math.max(0, this.knownBytes - this.doneBytes) > PAYOFF_MS;
  }
}
