/**
 * Local inputs (`--input`): trail archives, NDJSON and `lookup-events` output, files, directories or
 * stdin, FIFOs. `readLocalEvents` is the sequential reader for the library and the emulator's loader;
 * the CLI's scans (`src/scan/`) run the same chunks and record splitter over worker threads.
 */
import type { Readable } from 'node:stream';
import type { SourceItem } from '../source-item';
import { discoverInputs, type Discovery, type InputFile, type InputSpec } from './discover';
import { readChunks, rechunk, type PlainChunk, type ReadEnd } from './chunks';
import { byteSourceOf } from './file-source';
import type { ReadPlanner } from './read-planner';
import { inflateChunk } from './inflate';
import { visitChunk } from './records';

export { discoverInputs, isDigestPath, STDIN, type Discovery, type ExternalInput, type InputFile, type InputSpec } from './discover';
export { readChunks, type Chunk, type PlainChunk, type ReadEnd } from './chunks';
export { byteSourceOf } from './file-source';
export type { FileRead, ReadPlanner } from './read-planner';
export { inflateChunk } from './inflate';
export { visitChunk, type RecordVisitor } from './records';

export interface ReadOptions {
  readonly stdin?: Readable;
  /** Told about each file as it is opened, skipped or missing (for counters and notes). */
  readonly onDiscovery?: (discovery: Discovery) => void;
  readonly planner?: ReadPlanner;
  readonly signal?: AbortSignal;
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
    yield* readFileEvents(discovery.file, options);
  }
}

async function* readFileEvents(file: InputFile, options: ReadOptions): AsyncGenerator<SourceItem> {
  const { planner } = options;
  const path = file.kind === 'file' ? file.path : null;
  const plan = path !== null && planner ? await planner.planRead(path) : { start: 0 };
  if (plan === 'skip') return;
  let end: ReadEnd | null = null;
  let damaged = false;
  const reading = readChunks(byteSourceOf(file, options.stdin), {
    start: plan.start,
    holdPartialLine: planner !== undefined,
    onEnd: (e) => (end = e),
    // Each chunk's records are read out (as text) before the next chunk is asked for.
    reuseBuffers: true,
    ...(options.signal ? { signal: options.signal } : {}),
  });
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
 * Parsed events take several times the memory of their text, so a chunk is split a slice at a time:
 * what is held at once is a slice's events, not a whole chunk's. Slices end at line ends where the
 * chunk's cutter found no value open, so a pretty-printed document stays whole.
 */
const PARSE_SLICE_BYTES = 64 * 1024;

function* itemsOf(chunk: PlainChunk): Generator<SourceItem> {
  for (const slice of chunk.format === 'text' ? sliceText(chunk) : [chunk]) {
    const items: SourceItem[] = [];
    visitChunk(slice, {
      literal: null,
      event: (event, text, origin) => items.push({ kind: 'event', event, text, origin }),
      ruledOut: () => {},
      bad: (origin, message, loss) => items.push({ kind: 'bad', origin, message, loss }),
    });
    yield* items;
  }
}

function* sliceText(chunk: Extract<PlainChunk, { format: 'text' }>): Generator<PlainChunk> {
  if (chunk.bytes.length <= PARSE_SLICE_BYTES) {
    yield chunk;
    return;
  }
  yield* rechunk(chunk, PARSE_SLICE_BYTES);
}
