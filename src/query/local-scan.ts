/**
 * Scans local inputs for a query, spreading chunks over worker threads once the input is big enough
 * to pay for starting them. Output stays in input order; at most a few chunks are in flight, so
 * memory is bounded whatever the input size.
 */
import { availableParallelism } from 'node:os';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { discoverInputs, type Discovery } from '../sources/local/discover';
import { readChunks, type Chunk, type ReadEnd } from '../sources/local/chunks';
import type { ReadPlanner } from '../sources/local/read-planner';
import type { Origin } from '../sources/source-item';
import { addFilterFaults } from '../language';
import { scanPackedChunk, type ChunkResult } from './chunk-scan';
import { OrderedDrain } from './ordered-drain';
import type { CompiledQuery } from './query';
import type { ChunkRequest, WorkerReply, WorkerSetup } from './scan-protocol';
import type { RunStats } from './stats';

export interface LocalScanOptions {
  readonly inputs: readonly string[];
  readonly query: CompiledQuery;
  /** The bundled worker script; null runs everything on the calling thread. */
  readonly workerUrl: URL | null;
  readonly workers?: number;
  /**
   * Milliseconds of scanning on the calling thread after which workers are started. Starting a worker
   * costs tens of milliseconds (it loads and compiles everything again), so short scans never start
   * them, and the calling thread keeps scanning until they report ready.
   */
  readonly parallelAfterMs?: number;
  readonly stdin?: Readable;
  readonly stats: RunStats;
  /** Receives matching NDJSON text (whole lines); awaited, so a slow stdout slows the scan. */
  write(text: string): Promise<void> | void;
  onBad(origin: Origin, message: string): void;
  /** For incremental runs: what to read of each file, and where reading ended. */
  readonly planner?: ReadPlanner;
  /** Told of every input as it is found: read, skipped (digest, not an event file) or missing. */
  onDiscovery?(discovery: Discovery): void;
  readonly signal?: AbortSignal;
}

export async function scanLocal(options: LocalScanOptions): Promise<void> {
  const { query, stats } = options;
  const workerCount = Math.max(1, options.workers ?? availableParallelism());
  const threshold = options.parallelAfterMs ?? 100;
  const pool = options.workerUrl !== null && workerCount > 1 ? new LazyPool(options.workerUrl, query, workerCount) : null;
  let scanningMs = 0;
  const scanHere = async (chunk: Chunk) => {
    const started = performance.now();
    const result = await scanPackedChunk(chunk, query);
    // Whole trail files (inflate and parse every record) gain from workers far sooner than NDJSON
    // slices, whose lines the literal search mostly skips unparsed.
    scanningMs += (performance.now() - started) * (chunk.format === 'ndjson' ? 1 : 3);
    if (pool !== null && scanningMs > threshold) pool.warmUp();
    return result;
  };
  // Where each planned file's reading ended; reported once its records have all been handled.
  const ends = new Map<string, { end: ReadEnd; damaged: boolean }>();
  const drain = new OrderedDrain<ChunkResult & { readonly path: string | null }>(workerCount * 3, async (result) => {
    if (result.unreadable && result.path !== null) {
      const entry = ends.get(result.path);
      if (entry) entry.damaged = true;
    }
    stats.eventsScanned += result.scanned;
    stats.matched += result.matched;
    for (const bad of result.bad) {
      stats.badRecords++;
      options.onBad(bad.origin, bad.message);
    }
    if (result.output.length > 0) await options.write(result.output);
  });

  try {
    for await (const discovery of discoverInputs(options.inputs)) {
      options.onDiscovery?.(discovery);
      if (discovery.kind !== 'file') continue; // missing and skipped inputs are the caller's to report
      const file = discovery.file;
      const path = file.kind === 'file' ? file.path : null;
      const plan = path !== null && options.planner ? await options.planner.planRead(path) : { start: 0 };
      if (plan === 'skip') continue;
      stats.files++;
      const onEnd = (end: ReadEnd) => {
        if (path !== null) ends.set(path, { end, damaged: false });
      };
      const reading = readChunks(file, options.stdin, { start: plan.start, holdPartialLine: options.planner !== undefined, onEnd });
      for await (const chunk of reading) {
        if (options.signal?.aborted) break;
        const pending = pool !== null && pool.ready && chunk.format !== 'unreadable' ? pool.scan(chunk) : scanHere(chunk);
        await drain.submit(pending.then((result) => ({ ...result, path })));
      }
      if (options.signal?.aborted) break;
    }
    await drain.finish();
    if (options.planner && !options.signal?.aborted) {
      for (const [path, { end, damaged }] of ends) options.planner.readDone(path, { ...end, unreadable: end.unreadable || damaged });
    }
  } finally {
    await pool?.close();
  }
}

/** Worker threads started on first use; each compiles the query from its plain spec. */
class LazyPool {
  private workers: Worker[] | null = null;
  private readyCount = 0;
  private next = 0;
  private seq = 0;
  private readonly waiting = new Map<number, { resolve: (r: ChunkResult) => void; reject: (e: Error) => void }>();

  constructor(
    private readonly url: URL,
    private readonly query: CompiledQuery,
    private readonly size: number,
  ) {}

  /** True once every worker has compiled the query. */
  get ready(): boolean {
    return this.workers !== null && this.readyCount === this.workers.length;
  }

  warmUp(): void {
    this.workers ??= this.start();
  }

  scan(chunk: Chunk): Promise<ChunkResult> {
    const workers = (this.workers ??= this.start());
    const worker = workers[this.next++ % workers.length]!;
    const seq = this.seq++;
    return new Promise((resolve, reject) => {
      this.waiting.set(seq, { resolve, reject });
      if (chunk.format === 'unreadable') {
        worker.postMessage({ seq, chunk } satisfies ChunkRequest);
        return;
      }
      const bytes = copyOut(chunk.bytes);
      worker.postMessage({ seq, chunk: { ...chunk, bytes } } satisfies ChunkRequest, [bytes.buffer as ArrayBuffer]);
    });
  }

  private start(): Worker[] {
    const setup: WorkerSetup = { spec: this.query.spec };
    return Array.from({ length: this.size }, () => {
      const worker = new Worker(this.url, { workerData: setup });
      worker.on('message', (reply: WorkerReply) => {
        if (reply.kind === 'ready') {
          this.readyCount++;
          return;
        }
        const waiter = this.waiting.get(reply.seq);
        if (waiter === undefined) return;
        this.waiting.delete(reply.seq);
        if (reply.kind === 'result') {
          addFilterFaults(reply.filterFaults);
          waiter.resolve(reply.result);
        } else {
          waiter.reject(new Error(`scan worker failed: ${reply.message}`));
        }
      });
      worker.on('error', (error) => {
        for (const waiter of this.waiting.values()) waiter.reject(error);
        this.waiting.clear();
      });
      return worker;
    });
  }

  async close(): Promise<void> {
    if (this.workers === null) return;
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers = null;
  }
}

/** A standalone ArrayBuffer holding exactly these bytes, so it can be transferred rather than copied again. */
function copyOut(bytes: Uint8Array): Uint8Array {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && !(bytes.buffer instanceof SharedArrayBuffer)) {
    return bytes;
  }
  return new Uint8Array(bytes);
}
