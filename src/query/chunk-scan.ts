/**
 * Filters one chunk of a local input: the unit of work a scan worker (or the main thread, for small
 * inputs) does. Matching events come back as their NDJSON lines, in input order.
 */
import type { Chunk } from '../sources/local/chunks';
import { visitChunk } from '../sources/local/records';
import type { Origin } from '../sources/source-item';
import type { CompiledQuery } from './query';

export interface ChunkResult {
  /** Matching events, each followed by `\n`. */
  readonly output: string;
  readonly scanned: number;
  readonly matched: number;
  readonly bad: readonly { readonly origin: Origin; readonly message: string }[];
}

export function scanChunk(chunk: Chunk, query: CompiledQuery): ChunkResult {
  let output = '';
  let scanned = 0;
  let matched = 0;
  const bad: { origin: Origin; message: string }[] = [];
  visitChunk(chunk, {
    mayMatch: query.mayMatch,
    event(event, text) {
      scanned++;
      if (!query.test(event)) return;
      matched++;
      output += (text ?? JSON.stringify(event)) + '\n';
    },
    ruledOut() {
      scanned++;
    },
    bad(origin, message) {
      bad.push({ origin, message });
    },
  });
  return { output, scanned, matched, bad };
}
