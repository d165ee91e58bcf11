/**
 * Local inputs (`--input`): trail archives, NDJSON and `lookup-events` output, files, directories or
 * stdin. `readLocalEvents` is the simple sequential reader; the CLI's scan uses the same chunks and
 * record visitor spread over worker threads (`scan-pool.ts`).
 */
import type { Readable } from 'node:stream';
import type { SourceItem } from '../source-item';
import { discoverInputs, type Discovery, type InputFile, type InputSpec } from './discover';
import { countNewlines, readChunks, type PlainChunk, type ReadEnd } from './chunks';
import type { ReadPlanner } from './read-planner';
import { inflateChunk } from './inflate';
import { visitChunk } from './records';

export { discoverInputs, isDigestPath, STDIN, type Discovery, type ExternalInput, type InputFile, type InputSpec } from './discover';
export { readChunks, type Chunk, type PlainChunk, type ReadEnd } from './chunks';
export type { FileRead, ReadPlanner } from './read-planner';
export { inflateChunk } from './inflate';
export { visitChunk, type RecordVisitor } from './records';

export interface ReadOptions {
  readonly stdin?: Readable;
  /** Told about each file as it is opened, skipped or missing (for counters and notes). */
  readonly onDiscovery?: (discovery: Discovery) => void;
  readonly planner?: ReadPlanner;
}

/** Every record of the inputs, in input order, with unreadable parts as `bad` items. Memory: one chunk at a time. */
export async function* readLocalEvents(paths: readonly InputSpec[], options: ReadOptions = {}): AsyncGenerator<SourceItem> {
  for await (const discovery of discoverInputs(paths, { incremental: options.planner !== undefined })) {
    options.onDiscovery?.(discovery);
    if (discovery.kind === 'missing') {
      yield { kind: 'bad', origin: { source: discovery.path, line: 0 }, message: discovery.message };
      continue;
    }
    if (discovery.kind === 'skipped') continue;
    yield* readFileEvents(discovery.file, options.stdin, options.planner);
  }
}

async function* readFileEvents(file: InputFile, stdin?: Readable, planner?: ReadPlanner): AsyncGenerator<SourceItem> {
  const path = file.kind === 'file' ? file.path : null;
  const plan = path !== null && planner ? await planner.planRead(path) : { start: 0 };
  if (plan === 'skip') return;
  let end: ReadEnd | null = null;
  let damaged = false;
  const reading = readChunks(file, stdin, { start: plan.start, holdPartialLine: planner !== undefined, onEnd: (e) => (end = e) });
  for await (const packed of reading) {
    for (const chunk of await inflateChunk(packed)) {
      if (chunk.format === 'unreadable') damaged = true;
      yield* itemsOf(chunk);
    }
  }
  const finished = end as ReadEnd | null;
  if (path !== null && planner && finished !== null) planner.readDone(path, { ...finished, unreadable: finished.unreadable || damaged });
}

/**
 * Parsed events take several times the memory of their text, so an NDJSON chunk is parsed a slice
 * at a time: what is held at once is a slice's events, not a whole chunk's (a document is parsed
 * whole in any case).
 */
const PARSE_SLICE_BYTES = 64 * 1024;

function* itemsOf(chunk: PlainChunk): Generator<SourceItem> {
  for (const slice of chunk.format === 'ndjson' ? sliceNdjson(chunk) : [chunk]) {
    const items: SourceItem[] = [];
    visitChunk(slice, {
      literal: null,
      event: (event, text, origin) => items.push({ kind: 'event', event, text, origin }),
      ruledOut: () => {},
      bad: (origin, message) => items.push({ kind: 'bad', origin, message }),
    });
    yield* items;
  }
}

function* sliceNdjson(chunk: Extract<PlainChunk, { format: 'ndjson' }>): Generator<PlainChunk> {
  const bytes = Buffer.from(chunk.bytes.buffer, chunk.bytes.byteOffset, chunk.bytes.byteLength);
  let line = chunk.firstLine;
  for (let start = 0; start < bytes.length; ) {
    const cut = bytes.indexOf(0x0a, Math.min(bytes.length, start + PARSE_SLICE_BYTES));
    const end = cut < 0 ? bytes.length : cut + 1;
    const slice = bytes.subarray(start, end);
    yield { ...chunk, firstLine: line, bytes: slice };
    line += countNewlines(slice);
    start = end;
  }
}
