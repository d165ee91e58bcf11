/**
 * Filters one chunk of a local input: the unit of work a scan worker (or the main thread, for small
 * inputs) does. Matching events come back as their NDJSON lines, in input order.
 */
import type { Chunk, PlainChunk } from '../sources/local/chunks';
import { inflateChunk } from '../sources/local/inflate';
import { visitChunk } from '../sources/local/records';
import type { Origin } from '../sources/source-item';
import type { CompiledQuery } from './query';

export interface ChunkResult {
  /** Matching events, each followed by `\n`. */
  readonly output: string;
  readonly scanned: number;
  readonly matched: number;
  readonly bad: readonly { readonly origin: Origin; readonly message: string }[];
  /** The input could not be read to its end (an `unreadable` part: corrupt gzip, I/O error). */
  readonly unreadable: boolean;
}

/** Inflates the chunk if it is a whole gzip, then scans what it holds. */
export async function scanPackedChunk(chunk: Chunk, query: CompiledQuery): Promise<ChunkResult> {
  const parts = await inflateChunk(chunk);
  if (parts.length === 1) return scanChunk(parts[0]!, query);
  const results = parts.map((part) => scanChunk(part, query));
  return {
    output: results.map((r) => r.output).join(''),
    scanned: results.reduce((n, r) => n + r.scanned, 0),
    matched: results.reduce((n, r) => n + r.matched, 0),
    bad: results.flatMap((r) => r.bad),
    unreadable: results.some((r) => r.unreadable),
  };
}

export function scanChunk(chunk: PlainChunk, query: CompiledQuery): ChunkResult {
  let output = '';
  let scanned = 0;
  let matched = 0;
  const bad: { origin: Origin; message: string }[] = [];
  visitChunk(chunk, {
    literal: query.literal,
    event(event, text) {
      scanned++;
      if (!query.test(event)) return;
      matched++;
      output += query.lineOf(event, text) + '\n';
    },
    ruledOut() {
      scanned++;
    },
    bad(origin, message) {
      bad.push({ origin, message });
    },
  });
  return { output, scanned, matched, bad, unreadable: chunk.format === 'unreadable' };
}
