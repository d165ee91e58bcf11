/**
 * Filters one chunk of a local input: the unit of work a scan worker (or the main thread) does.
 * Matching records come back as their output lines, in input order.
 */
import { IdentityFactsGatherer, type IdentityFacts } from '../identity';
import type { JsonObject } from '../language/json';
import type { LiteralNeedles, RecordPrefilter } from '../language/prefilter';
import type { CompiledQuery } from '../query/query';
import { rechunk, type Chunk, type PlainChunk } from '../sources/local/chunks';
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
  /** A finer pre-filter on the raw bytes of records the literal let through (a rule set's gate). */
  readonly gate?: RecordPrefilter | null;
  /** `origin`: where the record starts, for a filter that reports on single records (the emulator's loader). */
  lineFor(event: JsonObject, text: string, origin: Origin): string | null;
  /**
   * True when `lineFor` reads `origin.line`. Scans that only write matches leave it unset: the splitter
   * then skips counting newlines before each record (bad records always carry their line).
   */
  readonly eventLines?: boolean;
  /** Identity facts gathered while scanning (pass one), taken after each chunk. */
  takeFacts?(): IdentityFacts;
}

export function queryFilter(query: CompiledQuery): RecordFilter {
  return { literal: query.literal, gate: query.rules?.gate ?? null, lineFor: (event, text) => (query.test(event) ? query.lineOf(event, text) + '\n' : null) };
}

/** Pass one of an identity query: every event looked at, none written; the facts come back with the result. */
export function identityFactsFilter(): RecordFilter {
  const gatherer = new IdentityFactsGatherer();
  return {
    literal: null,
    lineFor: (event) => {
      gatherer.add(event);
      return null;
    },
    takeFacts: () => gatherer.take(),
  };
}

export interface ChunkResult {
  /** Output lines of the matching records, each ending in `\n`. */
  readonly output: string;
  readonly scanned: number;
  readonly matched: number;
  readonly bad: readonly { readonly origin: Origin; readonly message: string; readonly loss: Loss }[];
  /** The input could not be read to its end (an `unreadable` part: corrupt gzip, I/O error). */
  readonly unreadable: boolean;
  /** What the chunk adds to the identity graph, when the filter gathers that. */
  readonly facts: IdentityFacts | null;
}

/**
 * Text scanned in one go on the calling thread. It must stay responsive (to SIGINT/SIGTERM), and
 * each slice's output is held as one string until written (and flattened again by the table and
 * summary sinks): a slice of a 1 MiB chunk keeps a plain scan's heap a few MB below a 16 MB limit
 * when stdout is slow, where whole chunks did not.
 */
const RESPONSIVE_SLICE_BYTES = 256 << 10;

/** Inflates the chunk if it is a whole gzip, then scans what it holds in one go (a worker's unit of work). */
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
    facts: filter.takeFacts ? mergeFacts(results.map((r) => r.facts)) : null,
  };
}

export function scanChunk(chunk: PlainChunk, filter: RecordFilter): ChunkResult {
  let output = '';
  let scanned = 0;
  let matched = 0;
  const bad: { origin: Origin; message: string; loss: Loss }[] = [];
  visitChunk(chunk, {
    literal: filter.literal,
    gate: filter.gate,
    eventLines: filter.eventLines === true,
    event(event, text, origin) {
      scanned++;
      const line = filter.lineFor(event, text, origin);
      if (line === null) return;
      matched++;
      output += line;
    },
    ruledOut(count) {
      scanned += count;
    },
    bad(origin, message, loss) {
      bad.push({ origin, message, loss });
    },
  });
  return { output, scanned, matched, bad, unreadable: chunk.format === 'unreadable', facts: filter.takeFacts?.() ?? null };
}

/** The parts, large texts cut into slices a thread that must stay responsive scans one at a time. */
export function* responsiveSlices(parts: readonly PlainChunk[]): Generator<PlainChunk> {
  for (const part of parts) {
    if (part.format === 'text' && part.bytes.length > RESPONSIVE_SLICE_BYTES) yield* rechunk(part, RESPONSIVE_SLICE_BYTES);
    else yield part;
  }
}

function mergeFacts(parts: readonly (IdentityFacts | null)[]): IdentityFacts {
  return { descriptors: parts.flatMap((p) => p?.descriptors ?? []), hops: parts.flatMap((p) => p?.hops ?? []) };
}
