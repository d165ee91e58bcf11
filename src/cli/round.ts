/**
 * What one read of the sources (a run, or one poll of --follow) is given and gives back. A round reads
 * the plan, never the command line: what it does with the flags was decided when the plan was made
 * (test/architecture/cli-options.test.ts holds every file of cli/ to that).
 */
import type { Checkpoint } from '../query/checkpoint';
import type { RunPlan } from '../query/plan-run';
import type { RunStats } from '../query/stats';
import type { Matches } from '../output/match-record';
import type { S3Counters } from '../sources/s3/counters';
import type { Diagnostics } from './diagnostics';
import type { RunIo } from './run-io';

export interface RoundContext {
  readonly plan: RunPlan;
  readonly io: RunIo;
  readonly diagnostics: Diagnostics;
  readonly stats: RunStats;
  /** What reading `s3://` inputs cost (zeros without them). */
  readonly s3Counters: S3Counters;
  readonly signal: AbortSignal;
  /** Stops the run (under --strict, or when the reader of stdout has gone). */
  abort(): void;
  /**
   * Takes a batch of matches and the identity graph they were filtered against (null: none was built),
   * on to the output stages: a local scan's NDJSON lines (the workers send text), or records that hold
   * the events a source on this thread parsed and filtered (LookupEvents, Athena).
   */
  write(matches: Matches): Promise<void> | void;
  /** With --state or --follow: what was read before, and the windows to read now. */
  readonly checkpoint: Checkpoint | null;
  /** The time this round reads up to. */
  readonly now: Date;
}

export interface RoundResult {
  /** The round ran but something failed (a missing input, a failing region, --strict): exit 1. */
  readonly failed: boolean;
}
