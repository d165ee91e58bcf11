/**
 * Every record of local inputs as items (`SourceItem`: the parsed event, its text and where it came
 * from, or what could not be read), through the one reading pipeline: `scanLocal` on this thread,
 * with a filter that keeps every record. For the library and the emulator's loader, which want the
 * events themselves rather than output lines.
 */
import type { Readable } from 'node:stream';
import type { Discovery, InputSpec } from '../sources/local/discover';
import type { SourceItem } from '../sources/source-item';
import { emptyStats } from '../query/stats';
import { MatchRecord } from '../output/match-record';
import { scanLocal } from './local-scan';

/** What every record "matches" as: its text is never written (the items go to the caller instead). */
const PACING = new MatchRecord('');

export interface ReadOptions {
  readonly stdin?: Readable;
  /** Told about each input as it is found: read, skipped (a digest, not an event file) or missing. */
  readonly onDiscovery?: (discovery: Discovery) => void;
  readonly signal?: AbortSignal;
}

/**
 * Every record of the inputs, in input order, with unreadable parts (and inputs that are not there)
 * as `bad` items. Memory: a slice or two of a chunk's records — reading waits while the caller has
 * not taken what was read.
 */
export async function* readLocalEvents(inputs: readonly InputSpec[], options: ReadOptions = {}): AsyncGenerator<SourceItem> {
  let read: SourceItem[] = [];
  let wakeCaller: (() => void) | null = null;
  let wakeReader: (() => void) | null = null;
  const hand = (item: SourceItem): void => {
    read.push(item);
    wakeCaller?.();
  };
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let finished = false;
  let failed = false;
  let failure: unknown = null;
  const reading = scanLocal({
    inputs,
    filter: {
      local: {
        literal: null,
        eventLines: true,
        matchOf(event, text, origin) {
          hand({ kind: 'event', event, text, origin });
          // Every record "matches": the scan then hands each slice's output to `write`, and waiting
          // there for the caller to take the slice's items is what paces the reader.
          return PACING;
        },
      },
    },
    workerUrl: null,
    stats: emptyStats(),
    write: () => (read.length === 0 || stop.signal.aborted ? undefined : new Promise<void>((resolve) => (wakeReader = resolve))),
    onBad: (origin, message, loss) => hand({ kind: 'bad', origin, message, loss }),
    onDiscovery(discovery) {
      options.onDiscovery?.(discovery);
      if (discovery.kind === 'missing') hand({ kind: 'bad', origin: { source: discovery.path, line: 0 }, message: discovery.message });
    },
    signal: stop.signal,
    ...(options.stdin ? { stdin: options.stdin } : {}),
  }).then(
    () => void (finished = true),
    (error: unknown) => {
      failure = error;
      failed = finished = true;
    },
  );
  const resumeReader = (): void => {
    const wake = wakeReader;
    wakeReader = null;
    wake?.();
  };
  try {
    for (;;) {
      if (read.length > 0) {
        const taken = read;
        read = [];
        // The reader goes on with the next slice while the caller handles this one.
        resumeReader();
        yield* taken;
        continue;
      }
      if (finished) break;
      await Promise.race([reading, new Promise<void>((resolve) => (wakeCaller = resolve))]);
      wakeCaller = null;
    }
    if (failed) throw failure;
  } finally {
    // The caller may stop early (a `break` out of its loop): stop reading and let the scan end.
    stop.abort();
    resumeReader();
    options.signal?.removeEventListener('abort', onAbort);
    await reading;
  }
}
