/**
 * The one time-window type: what `--from`/`--to` select, what Athena's partitions are pruned to, and
 * what each LookupEvents run of `--state` reads. Epoch milliseconds, because every consumer compares
 * against `Date.parse(eventTime)` or hands the bound to an SDK as a Date; both ends inclusive.
 * Pure data, so `athena-sql/` (pure) and `state/` can share it without importing `query/`.
 */
export interface TimeWindow {
  /** Inclusive, epoch ms; null = unbounded. */
  readonly fromMs: number | null;
  /** Inclusive, epoch ms; null = unbounded. */
  readonly toMs: number | null;
}

/** A window bounded on both sides: one a LookupEvents run reads, which starts and ends somewhere. */
export interface ClosedWindow extends TimeWindow {
  readonly fromMs: number;
  readonly toMs: number;
}
