/**
 * Filters one chunk of a local input: the unit of work a scan worker (or the main thread) does.
 * Matching records come back as their output lines, in input order, and (scanned on the thread that
 * writes them, when a later stage reads events) as records holding the event parsed here; or, when
 * the summary is the only thing written, folded into a piece of the summary where they were found.
 */
import { EventIdentity, IdentityFactsGatherer, refOf, sessionRefId, type IdentityFacts, type IdentityGraph, type SessionRef } from '../identity';
import type { JsonObject } from '../language/json';
import type { LiteralNeedles, RecordPrefilter } from '../language/prefilter';
import { IdentityFilter } from '../query/identity-filter';
import { writtenLine, type CheckedQuery, type CompiledQuery } from '../query/checked-query';
import { rechunk, type Chunk, type PlainChunk } from '../sources/local/chunks';
import { inflateChunk } from '../sources/local/inflate';
import { visitChunk, type RawRecordReader, type RuledOutReader } from '../sources/local/records';
import type { Loss, Origin } from '../sources/source-item';
import { MatchRecord } from '../output/match-record';
import { createSummary, type SummaryOptions, type SummaryPartial } from '../output/summary';
import type { GraphDescription } from '../query/identity-passes';
import { summaryOptionsFrom } from '../query/summary-spec';
import { rawIdentityReader } from './identity-raw-read';

/**
 * What a scan does with each record: a literal pre-filter on the raw bytes (records without any
 * needle are never parsed), then the record's output (its line and the event that line says) or
 * null. A plain query writes matches as recorded; the identity pass adds `_ctq`; the graph pass only looks.
 */
export interface RecordFilter {
  readonly literal: LiteralNeedles | null;
  /** Every record matches and is written as recorded (`CompiledQuery.matchesEveryRecordAsRecorded`). */
  readonly matchesEveryRecordAsRecorded?: boolean;
  /** A finer pre-filter on the raw bytes of records the literal let through (a rule set's gate). */
  readonly gate?: RecordPrefilter | null;
  /** Takes records from their raw bytes where it can (pass one: see identity-raw-read.ts). */
  readonly raw?: RawRecordReader | null;
  /** Reads the records the pre-filters rule out for what every record holds (a one-pass identity query's facts). */
  readonly ruledOutReader?: RuledOutReader | null;
  /** `origin`: where the record starts, for a filter that reports on single records (the emulator's loader). */
  matchOf(event: JsonObject, text: string, origin: Origin): MatchRecord | null;
  /**
   * True when `matchOf` reads `origin.line`. Scans that only write matches leave it unset: the splitter
   * then skips counting newlines before each record (bad records always carry their line).
   */
  readonly eventLines?: boolean;
  /** Identity facts gathered while scanning (pass one), taken after each chunk. */
  takeFacts?(): IdentityFacts;
  /** Warnings about the identity graph that the chunk's matches raised (pass two), taken after each chunk. */
  takeWarnings?(): readonly string[];
  /** Matches go into a piece of the summary instead of out as lines (see `MatchFold`). */
  readonly fold?: MatchFold;
  /** The session references the piece's sessions are, in the order first met, taken after each chunk. */
  takeSessionRefs?(): ReadonlyMap<string, SessionRef>;
  /** Per output line, the id of the session reference its `_ctq` is to be made from (one-pass --enrich), taken after each chunk. */
  takeLineRefs?(): readonly (string | null)[];
}

/**
 * `--summary` with no other stage after the scan: each match is added to a summary where it is found,
 * and the chunk hands back that piece (plain data, small: a row's worth per group) instead of its
 * lines, so a worker's matches are neither posted as text nor parsed again on the main thread.
 */
export interface MatchFold {
  add(record: MatchRecord): void;
  /** The piece made of the matches added since the last call. */
  take(): SummaryPartial;
  /** Adds a piece made of the matches after those added so far. */
  merge(piece: SummaryPartial): void;
}

export function queryFilter(query: CompiledQuery): RecordFilter {
  return {
    literal: query.literal,
    gate: query.gate,
    matchesEveryRecordAsRecorded: query.matchesEveryRecordAsRecorded,
    matchOf: (event, text) => (query.test(event) ? query.recordOf(event, text) : null),
  };
}

/** Pass one of an identity query: every event looked at, none written; the facts come back with the result. */
export function identityFactsFilter(): RecordFilter {
  const gatherer = new IdentityFactsGatherer();
  return {
    literal: null,
    raw: rawIdentityReader(gatherer),
    matchOf: (event) => {
      gatherer.add(event);
      return null;
    },
    takeFacts: () => gatherer.take(),
  };
}

/**
 * An identity query whose predicate reads no graph (the graph only describes its matches), in one pass:
 * `describing` filters with the plain query and leaves the description to be made where the graph is,
 * from session references; this adds the graph's facts, from every record. Records the pre-filters
 * rule out are read for them as pass one reads every record (identity-raw-read.ts, else parsed; their
 * damage unsaid); records let through are parsed once, and their facts come from that event.
 */
export function onePassFilter(describing: RecordFilter, identity: EventIdentity = new EventIdentity()): RecordFilter {
  const gatherer = new IdentityFactsGatherer(identity);
  return {
    ...describing,
    ruledOutReader: { raw: rawIdentityReader(gatherer), event: (event) => gatherer.add(event) },
    matchOf: (event, text, origin) => {
      gatherer.add(event);
      return describing.matchOf(event, text, origin);
    },
    takeFacts: () => gatherer.take(),
  };
}

/** The one-pass filter for what the graph is to describe (see query/identity-passes.ts). */
export function describingFilter(query: CompiledQuery, description: GraphDescription): RecordFilter {
  // A match is described for its facts, then for its session reference: once.
  const identity = new EventIdentity();
  const describing =
    description.kind === 'summary' ? summaryByReferenceFilter(query, summaryOptionsFrom(description.summary), identity) : enrichLaterFilter(query, identity);
  return onePassFilter(describing, identity);
}

/**
 * One-pass `--enrich` before the graph exists: each match's line as it is written before `_ctq` is spliced
 * in (`writtenLine`), and the session reference that `_ctq` will be made from, by id (the references
 * themselves come back once per chunk, as `--summary`'s do).
 */
export function enrichLaterFilter(query: CompiledQuery, identity: EventIdentity = new EventIdentity()): RecordFilter {
  const refs = new SessionRefIds(identity);
  let lineRefs: (string | null)[] = [];
  return {
    literal: query.literal,
    gate: query.gate,
    matchOf: (event, text) => {
      if (!query.test(event)) return null;
      lineRefs.push(refs.idOf(event));
      return new MatchRecord(writtenLine(event, text), event);
    },
    takeSessionRefs: () => refs.take(),
    takeLineRefs: () => {
      const taken = lineRefs;
      lineRefs = [];
      return taken;
    },
  };
}

/** Events' session references by id, each handed over once per chunk it is met in. */
class SessionRefIds {
  private refs = new Map<string, SessionRef>();

  constructor(private readonly identity: EventIdentity) {}

  /** The id of the event's reference (null: it names no identity), as `sessionRefId(sessionRefOf(event))`. */
  idOf(event: JsonObject): string | null {
    const descriptor = this.identity.descriptor(event);
    if (descriptor === null) return null;
    const ref = refOf(event, descriptor);
    const id = sessionRefId(ref, this.identity.descriptorId(event)!);
    if (!this.refs.has(id)) this.refs.set(id, ref);
    return id;
  }

  /** The references met since the last call, in the order first met. */
  take(): ReadonlyMap<string, SessionRef> {
    const taken = this.refs;
    this.refs = new Map();
    return taken;
  }
}

/**
 * Pass two of an identity query: the query against the graph, `_ctq` added under --enrich. Ambiguity
 * warnings come back with the chunk's result, so the thread that writes the output says them in
 * input order (each filter, here or in a worker, says each warning once; the scan keeps the first).
 */
export function identityQueryFilter(graph: IdentityGraph, query: CheckedQuery, enrich: boolean, summary: SummaryOptions | null = null): RecordFilter {
  let warnings: string[] = [];
  const identity = new IdentityFilter(graph, query, enrich, (warning) => warnings.push(warning));
  return {
    literal: identity.literal,
    gate: identity.gate,
    matchOf: (event, text) => identity.recordFor(event, text),
    takeWarnings: () => {
      const taken = warnings;
      warnings = [];
      return taken;
    },
    ...(summary !== null ? { fold: summaryFold(summary, graph) } : {}),
  };
}

/**
 * Pass two of a `--summary` whose query, grouping and output need no identity graph, only the sessions
 * it counts: the plain query, and matches folded into pieces whose sessions are references
 * (identity/session-ref.ts), handed back with the piece and resolved where the graph is. A worker then
 * neither receives the graph's facts nor rebuilds the graph (~0.4 s of CPU each on the real tree).
 */
export function summaryByReferenceFilter(query: CompiledQuery, options: SummaryOptions, identity: EventIdentity = new EventIdentity()): RecordFilter {
  const refs = new SessionRefIds(identity);
  const summary = createSummary({ ...options, sessionOf: (event) => refs.idOf(event), piece: true });
  return {
    ...queryFilter(query),
    fold: {
      add: (record) => summary.add(record.lastRead(), null),
      take: () => summary.take(),
      merge: (piece) => summary.merge(piece),
    },
    takeSessionRefs: () => refs.take(),
  };
}

/** Matches folded into a summary against the graph they were filtered against, as `--summary`'s sink would. */
function summaryFold(options: SummaryOptions, graph: IdentityGraph): MatchFold {
  const summary = createSummary({ ...options, piece: true });
  return {
    add: (record) => summary.add(record.lastRead(), graph),
    take: () => summary.take(),
    merge: (piece) => summary.merge(piece),
  };
}

export interface ChunkResult {
  /** Output lines of the matching records, each ending in `\n`: what crosses threads, and what the NDJSON printer writes. */
  readonly output: string;
  /**
   * The same matches as records holding their parsed events, when asked for (`keepRecords`) on the
   * thread that writes them; null from a worker, whose events stay there (see README, Layout).
   */
  readonly records: readonly MatchRecord[] | null;
  readonly scanned: number;
  readonly matched: number;
  readonly bad: readonly { readonly origin: Origin; readonly message: string; readonly loss: Loss }[];
  /** The input could not be read to its end (an `unreadable` part: corrupt gzip, I/O error). */
  readonly unreadable: boolean;
  /** What the chunk adds to the identity graph, when the filter gathers that. */
  readonly facts: IdentityFacts | null;
  /** Graph warnings the chunk's matches raised, in the order raised. */
  readonly warnings: readonly string[];
  /** With a filter that folds matches (`RecordFilter.fold`): the chunk's piece of the summary; `output` is then empty. */
  readonly summary: SummaryPartial | null;
  /** With a filter that folds by reference: what the piece's sessions refer to, in the order first met. */
  readonly sessionRefs: ReadonlyMap<string, SessionRef> | null;
  /** With a filter that enriches later (`enrichLaterFilter`): per line of `output`, its session reference's id. */
  readonly lineRefs: readonly (string | null)[] | null;
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
  if (parts.length === 1) return scanChunk(parts[0]!, filter, false);
  const results = parts.map((part) => scanChunk(part, filter, false));
  return {
    output: results.map((r) => r.output).join(''),
    records: null,
    scanned: results.reduce((n, r) => n + r.scanned, 0),
    matched: results.reduce((n, r) => n + r.matched, 0),
    bad: results.flatMap((r) => r.bad),
    unreadable: results.some((r) => r.unreadable),
    facts: filter.takeFacts ? mergeFacts(results.map((r) => r.facts)) : null,
    warnings: results.flatMap((r) => r.warnings),
    summary: filter.fold ? mergePieces(filter.fold, results) : null,
    sessionRefs: filter.takeSessionRefs ? new Map(results.flatMap((r) => [...(r.sessionRefs ?? [])])) : null,
    lineRefs: filter.takeLineRefs ? results.flatMap((r) => r.lineRefs ?? []) : null,
  };
}

/** `keepRecords`: also hand back the matches as records (their events parsed here), for stages that read them. */
export function scanChunk(chunk: PlainChunk, filter: RecordFilter, keepRecords: boolean): ChunkResult {
  let output = '';
  const { fold } = filter;
  const records: MatchRecord[] | null = keepRecords && fold === undefined ? [] : null;
  let scanned = 0;
  let matched = 0;
  const bad: { origin: Origin; message: string; loss: Loss }[] = [];
  visitChunk(chunk, {
    literal: filter.literal,
    gate: filter.gate,
    raw: filter.raw ?? null,
    ruledOutReader: filter.ruledOutReader ?? null,
    eventLines: filter.eventLines === true,
    // Matches that are only written (no records kept, no fold): those the bytes show whole go unparsed.
    acceptedAsRecorded:
      filter.matchesEveryRecordAsRecorded === true && records === null && fold === undefined
        ? (text) => {
            scanned++;
            matched++;
            output += text + '\n';
          }
        : null,
    event(event, text, origin) {
      scanned++;
      const record = filter.matchOf(event, text, origin);
      if (record === null) return;
      matched++;
      if (fold !== undefined) {
        fold.add(record);
        return;
      }
      output += record.text + '\n';
      records?.push(record);
    },
    ruledOut(count) {
      scanned += count;
    },
    bad(origin, message, loss) {
      bad.push({ origin, message, loss });
    },
  });
  return {
    output,
    records,
    scanned,
    matched,
    bad,
    unreadable: chunk.format === 'unreadable',
    facts: filter.takeFacts?.() ?? null,
    warnings: filter.takeWarnings?.() ?? [],
    summary: fold?.take() ?? null,
    sessionRefs: filter.takeSessionRefs?.() ?? null,
    lineRefs: filter.takeLineRefs?.() ?? null,
  };
}

/** The parts, large texts cut into slices a thread that must stay responsive scans one at a time. */
export function* responsiveSlices(parts: readonly PlainChunk[]): Generator<PlainChunk> {
  for (const part of parts) {
    if (part.format === 'text' && part.bytes.length > RESPONSIVE_SLICE_BYTES) yield* rechunk(part, RESPONSIVE_SLICE_BYTES);
    else yield part;
  }
}

/** The parts' pieces of the summary as one, in order (the fold is empty after each part's take). */
function mergePieces(fold: MatchFold, parts: readonly ChunkResult[]): SummaryPartial {
  for (const part of parts) if (part.summary !== null) fold.merge(part.summary);
  return fold.take();
}

function mergeFacts(parts: readonly (IdentityFacts | null)[]): IdentityFacts {
  return { descriptors: parts.flatMap((p) => p?.descriptors ?? []), hops: parts.flatMap((p) => p?.hops ?? []) };
}
