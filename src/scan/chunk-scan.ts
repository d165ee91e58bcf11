/**
 * Filters one chunk of a local input: the unit of work a scan worker (or the main thread) does.
 * Matching records come back as their output lines, in input order.
 */
import type { JsonObject } from '../language/json';
import type { LiteralNeedles } from '../language/prefilter';
import type { CompiledQuery } from '../query/query';
import type { Chunk, PlainChunk } from '../sources/local/chunks';
import { inflateChunk } from '../sources/local/inflate';
import { visitChunk } from '../sources/local/records';
import type { Loss, Origin } from '../sources/source-item';

/**
 * What a scan does with each record: a literal pre-filter on the raw bytes (records without any
 * needle are never parsed), then the record's output line (with its newline) or null. A plain query
 * writes matches as recorded; the identity pass adds `_ctq`; the graph pass only looks.
 */
export interface RecordFilter {
  readonly literal: LiteralNeedles | null;
  lineFor(event: JsonObject, text: string): string | null;
}

export function queryFilter(query: CompiledQuery): RecordFilter {
  return { literal: query.literal, lineFor: (event, text) => (query.test(event) ? text + '\n' : null) };
}

export interface ChunkResult {
  /** Output lines of the matching records, each ending in `\n`. */
  readonly output: string;
  readonly scanned: number;
  readonly matched: number;
  readonly bad: readonly { readonly origin: Origin; readonly message: string; readonly loss: Loss }[];
  /** The input could not be read to its end (an `unreadable` part: corrupt gzip, I/O error). */
  readonly unreadable: boolean;
}

/** Inflates the chunk if it is a whole gzip, then scans what it holds. */
export async function scanPackedChunk(chunk: Chunk, filter: RecordFilter): Promise<ChunkResult> {
  const parts = await inflateChunk(chunk);
  if (parts.length === 1) return scanChunk(parts[0]!, filter);
  const results = parts.map((part) => scanChunk(part, filter));
  return {
    output: results.map((r) => r.output).join(''),
    scanned: results.reduce((n, r) => n + r.scanned, 0),
    matched: results.reduce((n, r) => n + r.matched, 0),
    bad: results.flatMap((r) => r.bad),
    unreadable: results.some((r) => r.unreadable),
  };
}

export function scanChunk(chunk: PlainChunk, filter: RecordFilter): ChunkResult {
  let output = '';
  let scanned = 0;
  let matched = 0;
  const bad: { origin: Origin; message: string; loss: Loss }[] = [];
  visitChunk(chunk, {
    literal: filter.literal,
    event(event, text) {
      scanned++;
      const line = filter.lineFor(event, text);
      if (line === null) return;
      matched++;
      output += line;
    },
    ruledOut() {
      scanned++;
    },
    bad(origin, message, loss) {
      bad.push({ origin, message, loss });
    },
  });
  return { output, scanned, matched, bad, unreadable: chunk.format === 'unreadable' };
}
