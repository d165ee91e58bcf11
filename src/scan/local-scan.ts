/**
 * The local reading pipeline: discover → chunk → inflate → split → pre-filter → parse → test, for
 * every mode (plain scans, both passes of identity queries). Chunks are spread over worker threads
 * once the input is big enough to pay for starting them, when the filter can run there (a plain
 * query: workers compile the checked query they are sent). Output stays in input order; at most a
 * few chunks are in flight, so memory is bounded whatever the input size.
 */
import type { Readable } from 'node:stream';
import { discoverInputs, type Discovery, type InputFile, type InputSpec, type ReadOrder } from '../sources/local/discover';
import { discoverInDeliveryOrder } from '../sources/local/delivery-walk';
import { readChunks, type Chunk, type ReadEnd } from '../sources/local/chunks';
import { byteSourceOf } from '../sources/local/file-source';
import type { ReadPlanner } from '../sources/local/read-planner';
import { lostSomething, type Loss, type Origin } from '../sources/source-item';
import { assembleQuery, checkedOf, type CheckedQuery, type CompiledQuery } from '../query/checked-query';
import type { RunStats } from '../query/stats';
import {
  describingFilter,
  identityFactsFilter,
  identityQueryFilter,
  queryFilter,
  responsiveSlices,
  scanChunk,
  summaryByReferenceFilter,
  type ChunkResult,
  type RecordFilter,
} from './chunk-scan';
import { inflateChunk } from '../sources/local/inflate';
import { OrderedDrain } from './ordered-drain';
import type { ScanTask } from './scan-protocol';
import { scanPoolFor, type ScanPool } from './scan-pool';
import type { IdentityFacts, IdentityGraph, SessionRef } from '../identity';
import type { MatchRecord } from '../output/match-record';
import type { SummaryPartial } from '../output/summary';
import { SummaryRefResolver } from './summary-refs';
import type { GraphDescription } from '../query/identity-passes';
import { summaryOptionsFrom, type SummarySpec } from '../query/summary-spec';
import { GZIP_RATIO, WorkerPayoff, workOf } from './worker-payoff';

export interface LocalScanOptions {
  readonly inputs: readonly InputSpec[];
  /** In what order files are read (see `ReadOrder`); path order by default. */
  readonly order?: ReadOrder;
  /**
   * A plain query (run here and, from its spec, in workers); the identity graph's first pass (facts
   * gathered here and in workers, handed to `identityFacts` in input order); its second pass (the
   * query against the graph here, and in workers against the graph rebuilt from `facts`, with the
   * graph's warnings said once each, in input order); both in one pass (facts as in the first,
   * matches handed over to be described once the graph is built: query/identity-passes.ts); or a
   * filter that needs this thread's state and so runs here only.
   */
  readonly filter:
    | { readonly query: CompiledQuery }
    | { readonly identityFacts: (facts: IdentityFacts) => void }
    | { readonly identityQuery: IdentityQuery; onWarning(message: string): void }
    | { readonly onePass: OnePassQuery; readonly identityFacts: (facts: IdentityFacts) => void }
    | { readonly local: RecordFilter };
  /** The bundled worker script; null runs everything on the calling thread. */
  readonly workerUrl: URL | null;
  readonly workers?: number;
  /**
   * Workers shared with the scans before and after this one (an identity query's two passes): this
   * scan gives them its task and leaves them running, so they are started (the bundle loaded and
   * compiled again in each) once per run, not once per pass. `workerUrl` and `workers` are then unused.
   */
  readonly pool?: ScanPool;
  /**
   * Milliseconds of scanning on the calling thread after which workers are started, whatever that
   * scanning costs (tests use 0). By default they start when the work left is worth it (see
   * worker-payoff.ts); either way the calling thread keeps scanning until they report ready.
   */
  readonly parallelAfterMs?: number;
  readonly stdin?: Readable;
  readonly stats: RunStats;
  /**
   * The stages after the scan read matched events, not only their text (--summary, the table, --state):
   * chunks scanned on this thread then hand over the events they parsed, so none is parsed again here.
   */
  readonly keepEvents?: boolean;
  /** Receives each scanned piece's matches; awaited, so a slow stdout slows the scan. */
  write(matches: ScannedMatches): Promise<void> | void;
  onBad(origin: Origin, message: string, loss: Loss): void;
  /** Told of trouble that costs speed, not events (worker threads that did not start). */
  onWarning?(message: string): void;
  /** For incremental runs: what to read of each file, and where reading ended. */
  readonly planner?: ReadPlanner;
  /** Told of every input as it is found: read, skipped (digest, not an event file) or missing. */
  onDiscovery?(discovery: Discovery): void;
  readonly signal?: AbortSignal;
  /** Chunk size (default: the reader's); tests vary it to move chunk boundaries. */
  readonly chunkBytes?: number;
}

/**
 * A piece's matches: whole output lines, and the records holding their events when this thread
 * parsed them and `keepEvents` asked for them (null for a worker's: its text is parsed again here,
 * once, if a stage reads the events; see README, Layout, for why that beats cloning the objects).
 */
export interface ScannedMatches {
  readonly text: string;
  /** The same kind of lines as UTF-8, when they were made as bytes (one-pass `--enrich`'s, spliced on disk): `text` is then empty. */
  readonly bytes?: Uint8Array;
  readonly records: readonly MatchRecord[] | null;
  /** With `IdentityQuery.summary`: the piece's matches folded into a piece of the summary (`text` is then empty). */
  readonly summary: SummaryPartial | null;
  /** From a one-pass scan: what the session references in `summary` or `lineRefs` are, first met in this piece. */
  readonly sessionRefs: ReadonlyMap<string, SessionRef> | null;
  /** From a one-pass `--enrich`: per line of `text`, the id of its session reference (null: it names no identity). */
  readonly lineRefs: readonly (string | null)[] | null;
}

/**
 * When every record is read (no literal to search for) and the files found ahead of the scan hold
 * at least this much JSON, the scan is long (half a second or more on one thread) and workers start
 * at once, rather than after a sample of scanning with the other cores idle.
 */
const PARALLEL_FROM_BYTES = 16 << 20;
/** How long a one-pass scan waits for its workers before it scans here until they are ready, as other scans do. */
const ONE_PASS_READY_WAIT_MS = 2000;

/**
 * Files looked at ahead of the scan to judge its size (a directory walk is cheap: a stat each), up
 * to this much JSON: enough to tell whether workers pay (see worker-payoff.ts).
 */
const LOOK_AHEAD_FILES = 1000;
const LOOK_AHEAD_BYTES = 256 << 20;

/**
 * Small whole gzips are sent to a worker several to a message, up to this many compressed bytes
 * (about 2.5 MB of JSON): one message and one reply per trail file cost the calling thread as much
 * as reading the file, and a tree has thousands.
 */
const BATCH_BYTES = 256 << 10;

/** An identity query in one pass: the plain query, and what its matches are described with once the graph is built. */
export interface OnePassQuery {
  readonly query: CheckedQuery;
  readonly description: GraphDescription;
}

/** Pass two of an identity query: the graph, and the facts it was built from (what a worker rebuilds it from). */
export interface IdentityQuery {
  readonly graph: IdentityGraph;
  readonly facts: IdentityFacts;
  readonly query: CheckedQuery;
  readonly enrich: boolean;
  /** `--summary` as the only stage after the scan: matches are folded into pieces of it where they are found. */
  readonly summary?: SummarySpec;
  /**
   * With `summary`, when neither the query nor the grouping nor `_ctq` reads the graph: workers fold with the
   * plain query, their pieces' sessions as references, which this thread resolves against `graph`.
   */
  readonly summaryWithoutGraph?: boolean;
}

export async function scanLocal(options: LocalScanOptions): Promise<void> {
  const { stats } = options;
  const { filter, task, onFacts, onWarning, resolve } = plainFilter(options.filter);
  const warned = new Set<string>();
  const pool = task === null ? null : poolFor(options, task);
  const workerCount = pool?.size ?? 1;
  const payoff = new WorkerPayoff(options.parallelAfterMs);
  const clock = new CpuClock();
  /**
   * Scans a chunk on this thread, a slice at a time: a whole gzip inflates to up to hundreds of MB,
   * and between slices the event loop turns (SIGINT/SIGTERM get in, the run stops if aborted) and
   * each slice's output is passed on (written, not held as one string).
   */
  async function* scanHere(chunk: Chunk): AsyncGenerator<ChunkResult> {
    // Inflating counts as scanning: a trail file costs more to inflate than to split. Only this
    // thread's work is timed, not the wait before the chunk (reading it), and in CPU time: on a
    // loaded machine the wall clock also counts the time other processes ran. Only while the pool
    // is still to be started, and read sparingly (see `CpuClock`).
    const measuring = () => pool !== null && !pool.started;
    if (measuring()) clock.restart();
    for (const slice of responsiveSlices(await inflateChunk(chunk))) {
      if (options.signal?.aborted) return;
      const result = scanChunk(slice, filter, options.keepEvents === true);
      if (measuring()) {
        payoff.scannedHere(slice.format === 'text' ? slice.bytes.length : 0, clock.lap());
        if (payoff.due) pool?.warmUp();
      }
      yield result;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  // Where each planned file's reading ended; reported once its records have all been handled.
  const ends = new Map<string, { end: ReadEnd; damaged: boolean }>();
  // Each result holds its chunk's output until written. Workers need a few in flight to stay busy;
  // this thread alone gains nothing from scanning ahead of a slow stdout, and holding one result
  // (while the next is scanned) keeps a plain scan's heap to about two chunks' output.
  const inFlight = pool === null ? 1 : workerCount * 3;
  const drain = new OrderedDrain<readonly Scanned[]>(inFlight, async (results) => {
    for (const result of results) {
      if (result.unreadable && result.path !== null) {
        const entry = ends.get(result.path);
        if (entry) entry.damaged = true;
      }
      if (result.facts !== null) onFacts?.(result.facts);
      const resolved = result.summary !== null && result.sessionRefs !== null && resolve !== undefined ? resolve(result.summary, result.sessionRefs) : null;
      for (const warning of resolved?.warnings ?? result.warnings) {
        if (warned.has(warning)) continue;
        warned.add(warning);
        onWarning?.(warning);
      }
      stats.eventsScanned += result.scanned;
      stats.matched += result.matched;
      for (const bad of result.bad) {
        if (lostSomething(bad.loss)) stats.badRecords++;
        options.onBad(bad.origin, bad.message, bad.loss);
      }
      if (result.matched > 0) {
        await options.write({
          text: result.output,
          records: result.records,
          summary: resolved?.summary ?? result.summary,
          sessionRefs: resolved !== null ? null : result.sessionRefs,
          lineRefs: result.lineRefs,
        });
      }
    }
  });
  // Small whole gzips waiting to go to a worker together; sent before anything after them is submitted.
  let batch: { chunk: Chunk; path: string | null }[] = [];
  let batchBytes = 0;
  const sendBatch = async () => {
    if (batch.length === 0 || pool === null) return;
    const sent = batch;
    batch = [];
    payoff.handedOn(batchBytes * GZIP_RATIO);
    batchBytes = 0;
    await drain.submit(pool.scan(sent.map((b) => b.chunk)).then((results) => results.map((result, i) => ({ ...result, path: sent[i]!.path }))));
  };

  try {
    const discover = options.order === 'delivery' ? discoverInDeliveryOrder : discoverInputs;
    const found = discover(options.inputs, { incremental: options.planner !== undefined });
    // Only local paths are looked ahead of: finding an S3 object starts fetching it (within a bound
    // that holds only while the scan keeps pace).
    const discoveries = options.inputs.every((input) => typeof input === 'string') ? await lookAhead(found) : { all: found, jsonBytes: 0, ahead: 0 };
    payoff.found(discoveries.jsonBytes);
    // Every record is read when there is no literal, or when records it rules out are read all the same (a one-pass identity query).
    const readsEveryRecord = filter.literal === null || (filter.ruledOutReader ?? null) !== null;
    // A plain query without a literal may still be short (a member gate spares most records the parse): with two
    // CPUs, where workers pay only on long scans, the payoff's projection decides for it as for the others.
    const longForSure = task?.kind !== 'query' || payoff.manyCpus;
    if (pool !== null && readsEveryRecord && longForSure && discoveries.jsonBytes >= PARALLEL_FROM_BYTES) {
      pool.warmUp();
      // A one-pass identity scan leaves the whole scan to the workers: a thread that scans pays for the one-pass
      // path's set-up (its code compiled again, the summary's data read), and this one scanning while they start
      // took CPU from them on two cores (real NDJSON, --summary: 9% more CPU, 15% more wall time).
      if ((filter.ruledOutReader ?? null) !== null) await pool.whenReady(ONE_PASS_READY_WAIT_MS);
    }
    let seen = 0;
    for await (const discovery of discoveries.all) {
      options.onDiscovery?.(discovery);
      if (discovery.kind !== 'file') continue; // missing and skipped inputs are the caller's to report
      const file = discovery.file;
      if (++seen > discoveries.ahead) payoff.found(jsonBytesOf(file));
      const path = file.kind === 'file' ? file.path : null;
      const plan = path !== null && options.planner ? await options.planner.planRead(path) : { start: 0 };
      if (plan === 'skip') continue;
      stats.files++;
      const onEnd = (end: ReadEnd) => {
        if (path !== null) ends.set(path, { end, damaged: false });
      };
      const reading = readChunks(byteSourceOf(file, options.stdin), {
        start: plan.start,
        holdPartialLine: options.planner !== undefined,
        onEnd,
        // Each chunk is scanned here, or handed to a worker, before the next is read: copied out, or,
        // once the workers take chunks, read into shared memory the pool holds until the worker answers.
        reuseBuffers: true,
        ...(pool !== null ? { sharedBuffers: pool } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.chunkBytes ? { chunkBytes: options.chunkBytes } : {}),
      });
      for await (const chunk of reading) {
        if (options.signal?.aborted) break;
        if (pool !== null && pool.ready && chunk.format === 'gzip' && chunk.bytes.length < BATCH_BYTES) {
          batch.push({ chunk, path });
          batchBytes += chunk.bytes.length;
          if (batchBytes >= BATCH_BYTES) await sendBatch();
          continue;
        }
        await sendBatch();
        if (pool !== null && pool.ready && chunk.format !== 'unreadable') {
          payoff.handedOn(workOf(chunk));
          await drain.submit(pool.scan([chunk]).then(([result]) => [{ ...result!, path }]));
        } else {
          for await (const result of scanHere(chunk)) await drain.submit(Promise.resolve([{ ...result, path }]));
        }
      }
      if (options.signal?.aborted) break;
    }
    if (!options.signal?.aborted) await sendBatch();
    await drain.finish();
    const failure = pool?.takeStartFailure() ?? null;
    if (failure !== null) options.onWarning?.(`worker threads did not start (${failure}): the scan ran on one thread`);
    if (options.planner && !options.signal?.aborted) {
      for (const [path, { end, damaged }] of ends) options.planner.readDone(path, { ...end, unreadable: end.unreadable || damaged });
    }
  } finally {
    if (pool !== options.pool) await pool?.close();
  }
}

/** The shared pool, given this scan's task, or this scan's own (null: no worker script, or one thread would do). */
function poolFor(options: LocalScanOptions, task: ScanTask): ScanPool | null {
  if (options.pool === undefined) return scanPoolFor(options.workerUrl, options.workers, task);
  options.pool.setTask(task);
  return options.pool;
}

type Scanned = ChunkResult & { readonly path: string | null };

/**
 * The discoveries, with up to `LOOK_AHEAD_FILES` of them (or `LOOK_AHEAD_BYTES` of JSON) found
 * before the scan starts, how many files those are, and how much JSON they hold: enough to tell a
 * long scan from a short one.
 */
async function lookAhead(discoveries: AsyncGenerator<Discovery>): Promise<{ all: AsyncGenerator<Discovery>; jsonBytes: number; ahead: number }> {
  const ahead: Discovery[] = [];
  let files = 0;
  let jsonBytes = 0;
  while (ahead.length < LOOK_AHEAD_FILES && jsonBytes < LOOK_AHEAD_BYTES) {
    const next = await discoveries.next();
    if (next.done === true) break;
    ahead.push(next.value);
    if (next.value.kind === 'file') {
      files++;
      jsonBytes += jsonBytesOf(next.value.file);
    }
  }
  async function* all(): AsyncGenerator<Discovery> {
    yield* ahead;
    yield* discoveries;
  }
  return { all: all(), jsonBytes, ahead: files };
}

/** Roughly how much JSON an input holds, from its size and name (the content is not read yet); 0 when unknown. */
function jsonBytesOf(file: InputFile): number {
  if (file.kind !== 'file' && file.kind !== 'stream') return 0;
  const [name, size] = file.kind === 'file' ? [file.path, file.size] : [file.name, file.size ?? 0];
  return /\.gz$/i.test(name) ? size * GZIP_RATIO : size;
}

interface PlainFilter {
  readonly filter: RecordFilter;
  /** What workers do instead; null: only this thread can. */
  readonly task: ScanTask | null;
  readonly onFacts?: (facts: IdentityFacts) => void;
  readonly onWarning?: (message: string) => void;
  /** A piece whose sessions are references, resolved (and the warnings that raised, in order). */
  resolve?(piece: SummaryPartial, refs: ReadonlyMap<string, SessionRef>): { readonly summary: SummaryPartial; readonly warnings: readonly string[] };
}

/** The filter for this thread, the task workers can do instead, and where facts and warnings go. */
function plainFilter(option: LocalScanOptions['filter']): PlainFilter {
  if ('query' in option) return { filter: queryFilter(option.query), task: { kind: 'query', query: checkedOf(option.query) } };
  if ('onePass' in option) {
    const { query, description } = option.onePass;
    return { filter: describingFilter(compiledWithoutGraph(query), description), task: { kind: 'one-pass', query, description }, onFacts: option.identityFacts };
  }
  if ('identityFacts' in option) return { filter: identityFactsFilter(), task: { kind: 'identity-facts' }, onFacts: option.identityFacts };
  if ('identityQuery' in option) {
    const { graph, facts, query, enrich, summary } = option.identityQuery;
    if (summary !== undefined && option.identityQuery.summaryWithoutGraph === true) return summaryByReference(graph, query, summary, option.onWarning);
    return {
      filter: identityQueryFilter(graph, query, enrich, summary !== undefined ? summaryOptionsFrom(summary) : null),
      task: { kind: 'identity-query', query, enrich, facts, summary: summary ?? null },
      onWarning: option.onWarning,
    };
  }
  return { filter: option.local, task: null };
}

/**
 * Pass two of a `--summary` without the graph on its threads: pieces come back with their sessions as
 * references, resolved here, in input order, against the graph; the ambiguity warnings an event's session
 * raises are said then, as the identity filter would have said them for the chunk's matches.
 */
function summaryByReference(graph: IdentityGraph, query: CheckedQuery, summary: SummarySpec, onWarning: (message: string) => void): PlainFilter {
  const resolver = new SummaryRefResolver(graph);
  return {
    filter: summaryByReferenceFilter(compiledWithoutGraph(query), summaryOptionsFrom(summary)),
    task: { kind: 'summary-query', query, summary },
    onWarning,
    resolve: (piece, refs) => resolver.resolve(piece, refs),
  };
}

/**
 * A checked query whose identity functions read no graph (a one-pass query, a summary by reference: that
 * is when these are taken), compiled on this thread with none to pass.
 */
function compiledWithoutGraph(query: CheckedQuery): CompiledQuery {
  const compiled = assembleQuery(query, new Map());
  if (!compiled.ok) throw new Error(`query failed to compile after it was checked: ${compiled.message}`);
  return compiled.query;
}

/**
 * CPU time this process has used, in ms (only this thread's and its reads', while no worker runs),
 * read at most once per `EVERY_MS` of wall time. The reading is a system call (getrusage) that cost
 * ~8 µs on an idle machine and 40–70 µs while the thread pool reads (it sums the times of every
 * thread): read around every 256 KiB slice it was 4–6% of a selective scan's CPU on one thread, and
 * every 2 ms still 12 ms of a 0.4 s scan (293 readings). A slice between readings counts 0 ms, and
 * the next reading carries its time; the payoff's warm-up and sample (20 ms each) still span a few.
 */
class CpuClock {
  private static readonly EVERY_MS = 8;
  private cpu = 0;
  /** When the clock was last read (never, at first). */
  private wall = Number.NEGATIVE_INFINITY;

  /**
   * Starts counting from now: what ran since the last reading is not counted, unless that reading is
   * too recent to read again (the wait for the next chunk of a large file is then counted with it).
   */
  restart(): void {
    const now = performance.now();
    if (now - this.wall < CpuClock.EVERY_MS) return;
    this.wall = now;
    this.cpu = cpuMs();
  }

  /** CPU ms since the last reading, or 0 when it is too soon to read again. */
  lap(): number {
    const now = performance.now();
    if (now - this.wall < CpuClock.EVERY_MS) return 0;
    this.wall = now;
    const cpu = cpuMs();
    const ms = cpu - this.cpu;
    this.cpu = cpu;
    return ms;
  }
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
