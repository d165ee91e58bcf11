/**
 * A one-line progress display for long local scans, on stderr and only when it is a terminal:
 * files, events scanned, matches, bad records. It reads the run's counters on a timer, so the scan's
 * hot path pays nothing for it, and it erases itself at the end so stderr keeps only real messages.
 */
import type { RunStats } from '../query/stats';
import type { S3Counters } from '../sources/s3/counters';

const REDRAW_MS = 250;
/** Scans that finish sooner never show it. */
const SHOW_AFTER_MS = 1000;

export interface ScanProgress {
  /** Erases the line if it is shown (before another message is written); it is redrawn on the next tick. */
  erase(): void;
  stop(): void;
}

export function startScanProgress(
  stream: { isTTY?: boolean; write(text: string): unknown },
  stats: RunStats,
  /** What the scan is doing when the counters do not say (the identity graph's first pass). */
  phase: () => string | null = () => null,
  /** With s3:// inputs: listings and GETs made, objects and bytes read. */
  s3: S3Counters | null = null,
): ScanProgress {
  if (stream.isTTY !== true) return { erase() {}, stop() {} };
  const started = Date.now();
  let shown = false;
  const erase = () => {
    if (shown) stream.write('\r\x1b[2K');
    shown = false;
  };
  const timer = setInterval(() => {
    if (Date.now() - started < SHOW_AFTER_MS) return;
    shown = true;
    const doing = phase();
    if (doing !== null) {
      stream.write(`\r\x1b[2Kctq: ${doing}…`);
      return;
    }
    const seconds = (Date.now() - started) / 1000;
    const rate = Math.round(stats.eventsScanned / seconds);
    const objects =
      s3 === null
        ? ''
        : `${s3.listCalls.toLocaleString('en-US')} listings, ${s3.objects.toLocaleString('en-US')} objects (${(s3.bytesRead / 1e6).toFixed(1)} MB) read, `;
    stream.write(
      `\r\x1b[2Kctq: ${objects}${stats.files.toLocaleString('en-US')} files, ${stats.eventsScanned.toLocaleString('en-US')} events scanned ` +
        `(${rate.toLocaleString('en-US')}/s), ${stats.matched.toLocaleString('en-US')} matched` +
        (stats.badRecords > 0 ? `, ${stats.badRecords.toLocaleString('en-US')} bad` : ''),
    );
  }, REDRAW_MS);
  timer.unref();
  return {
    erase,
    stop() {
      clearInterval(timer);
      erase();
    },
  };
}
