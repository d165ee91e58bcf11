/**
 * Live progress of a LookupEvents run on stderr: one line per region (pages, events scanned,
 * matched, throttles, requests per second), redrawn in place at most 4 times a second. Only
 * counters reach it — never event fields — so nothing of the data can leak to the terminal.
 * Silent unless given a TTY: a redirected stderr gets no control sequences.
 */

export interface RegionProgress {
  pages: number;
  scanned: number;
  matched: number;
  throttled: number;
  /** When the recent attempts were made, for the request rate over the last RATE_WINDOW_MS. */
  recentAttempts: number[];
  state: 'running' | 'done' | 'failed' | 'skipped';
}

export interface ProgressReporter {
  attempt(region: string): void;
  throttled(region: string): void;
  page(region: string, events: number): void;
  matched(region: string): void;
  regionEnded(region: string, state: 'done' | 'failed' | 'skipped'): void;
  /** Draws the final state and stops redrawing. */
  close(): void;
}

export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

export const SILENT_PROGRESS: ProgressReporter = {
  attempt() {},
  throttled() {},
  page() {},
  matched() {},
  regionEnded() {},
  close() {},
};

const REDRAW_MS = 250;
const RATE_WINDOW_MS = 5000;

export function createProgressReporter(
  stream: ProgressStream | null | undefined,
  regions: readonly string[],
  now: () => number = Date.now,
): ProgressReporter {
  if (stream?.isTTY !== true) return SILENT_PROGRESS;
  return new TtyProgress(stream, regions, now);
}

class TtyProgress implements ProgressReporter {
  private readonly regions = new Map<string, RegionProgress>();
  private readonly started: number;
  private drawnLines = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastDraw = -Infinity;
  private closed = false;

  constructor(
    private readonly stream: ProgressStream,
    regions: readonly string[],
    private readonly now: () => number,
  ) {
    this.started = now();
    for (const region of regions) this.entry(region);
  }

  attempt(region: string): void {
    this.entry(region).recentAttempts.push(this.now());
    this.schedule();
  }
  throttled(region: string): void {
    this.entry(region).throttled += 1;
    this.schedule();
  }
  page(region: string, events: number): void {
    const e = this.entry(region);
    e.pages += 1;
    e.scanned += events;
    this.schedule();
  }
  matched(region: string): void {
    this.entry(region).matched += 1;
    this.schedule();
  }
  regionEnded(region: string, state: 'done' | 'failed' | 'skipped'): void {
    this.entry(region).state = state;
    this.schedule();
  }

  close(): void {
    if (this.closed) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.draw();
    this.closed = true;
  }

  private entry(region: string): RegionProgress {
    let e = this.regions.get(region);
    if (e === undefined) {
      e = { pages: 0, scanned: 0, matched: 0, throttled: 0, recentAttempts: [], state: 'running' };
      this.regions.set(region, e);
    }
    return e;
  }

  /** At most one redraw per REDRAW_MS: counters change per event, the terminal needs far fewer. */
  private schedule(): void {
    if (this.closed || this.timer !== null) return;
    const wait = Math.max(0, this.lastDraw + REDRAW_MS - this.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.draw();
    }, wait);
    // Progress must never keep the process alive.
    (this.timer as { unref?: () => void }).unref?.();
  }

  private draw(): void {
    if (this.closed) return;
    this.lastDraw = this.now();
    // The rate over the last few seconds (or since the start, but at least a second, so the first
    // frame does not show one request as a thousand per second).
    const since = this.lastDraw - RATE_WINDOW_MS;
    const seconds = Math.max(1, Math.min(RATE_WINDOW_MS, this.lastDraw - this.started) / 1000);
    const width = Math.max(...[...this.regions.keys()].map((r) => r.length), 6);
    const lines = [...this.regions].map(([region, e]) => {
      while (e.recentAttempts.length > 0 && (e.recentAttempts[0] as number) <= since) e.recentAttempts.shift();
      const rate = (e.recentAttempts.length / seconds).toFixed(1);
      const state = e.state === 'running' ? '' : `  ${e.state}`;
      return `${region.padEnd(width)}  pages ${e.pages}  scanned ${e.scanned}  matched ${e.matched}  throttled ${e.throttled}  ${rate} req/s${state}`;
    });
    // Move up over the previous frame, then rewrite each line and clear what is left of it.
    const up = this.drawnLines > 0 ? `\x1b[${this.drawnLines}A` : '';
    this.stream.write(up + lines.map((l) => `\r${l}\x1b[K\n`).join(''));
    this.drawnLines = lines.length;
  }
}
