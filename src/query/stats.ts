/**
 * Run counters. The `--stats` line's keys and their order are a stable interface: scripts parse it.
 */
export interface RunStats {
  eventsScanned: number;
  matched: number;
  badRecords: number;
  files: number;
  apiCalls: number;
  pages: number;
  throttled: number;
}

export function emptyStats(): RunStats {
  return { eventsScanned: 0, matched: 0, badRecords: 0, files: 0, apiCalls: 0, pages: 0, throttled: 0 };
}

/** `more`: counters of a source that only some runs use (S3), appended after the stable keys. */
export function formatStatsLine(stats: RunStats, more: Readonly<Record<string, number>> = {}): string {
  const { eventsScanned, matched, badRecords, files, apiCalls, pages, throttled } = stats;
  return JSON.stringify({ eventsScanned, matched, badRecords, files, apiCalls, pages, throttled, ...more });
}
