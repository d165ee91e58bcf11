/**
 * Fault injection for tests and benchmarks: each request draws from a seeded generator, so a run
 * with `--seed N` misbehaves the same way every time (given the same request order).
 */
export interface FaultOptions {
  /** Fraction of requests answered ThrottlingException on top of the rate limit. */
  readonly throttleRate: number;
  /** Fraction of requests answered HTTP 500 InternalFailure or 503 ServiceUnavailable. */
  readonly errorRate: number;
  /** Fraction of requests whose socket is destroyed without an answer. */
  readonly dropRate: number;
  /** Delay before every answer, in milliseconds. */
  readonly latencyMs: number;
  /**
   * Fraction of requests before which the emulator behaves as if it had restarted: it forgets the key its
   * NextTokens are signed with, so every token issued before is answered InvalidNextTokenException, as a
   * restarted or failed-over endpoint answers a token it did not issue.
   */
  readonly restartRate: number;
  readonly seed: number;
}

export const NO_FAULTS: FaultOptions = { throttleRate: 0, errorRate: 0, dropRate: 0, latencyMs: 0, restartRate: 0, seed: 1 };

export type Fault = 'none' | 'drop' | 'internal-failure' | 'service-unavailable' | 'throttle';

export class FaultInjector {
  readonly #options: FaultOptions;
  readonly #random: () => number;

  constructor(options: FaultOptions) {
    this.#options = options;
    this.#random = mulberry32(options.seed);
  }

  get latencyMs(): number {
    return this.#options.latencyMs;
  }

  /**
   * Whether the emulator restarts before this request. Drawn after `next()`, and only when the rate is set, so the
   * draws of runs without restarts stay what they were for a given seed.
   */
  restarts(): boolean {
    return this.#options.restartRate > 0 && this.#random() < this.#options.restartRate;
  }

  /** One draw per fault kind per request, always in the same order, so a seed replays exactly. */
  next(): Fault {
    const drop = this.#random() < this.#options.dropRate;
    const error = this.#random() < this.#options.errorRate;
    const whichError = this.#random();
    const throttle = this.#random() < this.#options.throttleRate;
    if (drop) return 'drop';
    if (error) return whichError < 0.5 ? 'internal-failure' : 'service-unavailable';
    if (throttle) return 'throttle';
    return 'none';
  }
}

/** A small, well-known 32-bit PRNG; good enough to pick faults, and reproducible from its seed. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
