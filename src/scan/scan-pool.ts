/** The scan's worker threads: started on first use, each handed chunks as it has least to do. */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { addFilterFaults } from '../language';
import type { Chunk } from '../sources/local/chunks';
import type { ChunkResult } from './chunk-scan';
import type { ScanTask, WorkerMessage, WorkerReply, WorkerSetup } from './scan-protocol';
import { workOf } from './worker-payoff';

/** A pool of `workers` threads (all cores by default), or null when there is no worker script or one thread would do. */
export function scanPoolFor(workerUrl: URL | null, workers: number | undefined, task: ScanTask): ScanPool | null {
  const count = Math.max(1, workers ?? availableParallelism());
  return workerUrl !== null && count > 1 ? new ScanPool(workerUrl, task, count) : null;
}

/**
 * Worker threads started on first use; each sets up the task (compiles the query) from plain data.
 * The task can change between scans (an identity query's two passes): each worker takes the new one
 * before any chunk sent after it, since a worker reads its messages in order.
 */
export class ScanPool {
  private workers: Worker[] | null = null;
  private readyCount = 0;
  /** Told once every worker is ready, or one failed or stopped (`whenReady`). */
  private readyWaiters: (() => void)[] = [];
  private loads = new WorkerLoads(0);
  private seq = 0;
  private readonly waiting = new Map<
    number,
    { resolve: (r: readonly ChunkResult[]) => void; reject: (e: Error) => void; worker: number; bytes: number; shared: readonly ArrayBufferLike[] }
  >();
  /** The first error of a worker that never reported ready (see `takeStartFailure`). */
  private startFailure: string | null = null;
  /** Whether a worker failed before it was ready: this pool will never take chunks. */
  private failedToStart = false;
  /** Shared memory holding chunks sent and not yet answered, with how many such chunks each holds. */
  private readonly sharedInFlight = new Map<ArrayBufferLike, number>();

  constructor(
    private readonly url: URL,
    private task: ScanTask,
    readonly size: number,
  ) {}

  /** The task for chunks sent from now on. */
  setTask(task: ScanTask): void {
    if (task === this.task) return;
    this.task = task;
    for (const worker of this.workers ?? []) worker.postMessage({ kind: 'task', task } satisfies WorkerMessage);
  }

  /** True once every worker has compiled the query. */
  get ready(): boolean {
    return this.workers !== null && this.readyCount === this.workers.length;
  }

  /**
   * Resolves once every worker has compiled the query, or a worker failed or stopped before (the scan then
   * finds out as it would have), or after `timeoutMs` at the latest.
   */
  whenReady(timeoutMs: number): Promise<void> {
    if (this.ready || this.workers === null) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.readyWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** True once the workers have been started (ready or not). */
  get started(): boolean {
    return this.workers !== null;
  }

  warmUp(): void {
    this.workers ??= this.start();
  }

  /**
   * Why a worker failed before it was ready, said once. Chunks go to workers only once all are ready, so
   * the calling thread then scanned everything, correctly but on one core: the caller says so rather
   * than let a run that should use every core pass for one that did.
   */
  takeStartFailure(): string | null {
    const failure = this.startFailure;
    this.startFailure = null;
    return failure;
  }

  /** Whether a worker may still be reading chunks that lie in this (shared) memory: the reader must not read into it again. */
  inUse(memory: ArrayBufferLike): boolean {
    return this.sharedInFlight.has(memory);
  }

  /**
   * Scans the chunks on one worker; one result each, in order. They go to the worker with the fewest
   * bytes outstanding, not to each in turn: the reader's chunks are not all alike (a large read is
   * cut as a small chunk holding the line that straddles two reads, then a full one), and in turn two
   * workers got every small chunk and every full one respectively, so one worked and one waited.
   */
  scan(chunks: readonly Chunk[]): Promise<readonly ChunkResult[]> {
    const workers = (this.workers ??= this.start());
    const bytes = chunks.reduce((sum, chunk) => sum + workOf(chunk), 0);
    const index = this.loads.assign(bytes);
    const worker = workers[index]!;
    const seq = this.seq++;
    return new Promise((resolve, reject) => {
      const transfer: ArrayBuffer[] = [];
      const shared: ArrayBufferLike[] = [];
      const sent = chunks.map((chunk) => {
        if (chunk.format === 'unreadable') return chunk;
        // Shared memory is sent as it is (the worker reads it in place), and lent again after the reply.
        if (chunk.bytes.buffer instanceof SharedArrayBuffer) {
          shared.push(chunk.bytes.buffer);
          return chunk;
        }
        const bytes = copyOut(chunk.bytes);
        transfer.push(bytes.buffer as ArrayBuffer);
        return { ...chunk, bytes };
      });
      for (const memory of shared) this.sharedInFlight.set(memory, (this.sharedInFlight.get(memory) ?? 0) + 1);
      this.waiting.set(seq, { resolve, reject, worker: index, bytes, shared });
      worker.postMessage({ kind: 'chunks', seq, chunks: sent } satisfies WorkerMessage, transfer);
    });
  }

  private start(): Worker[] {
    const setup: WorkerSetup = { task: this.task };
    this.loads = new WorkerLoads(this.size);
    return Array.from({ length: this.size }, () => {
      const worker = new Worker(this.url, { workerData: setup });
      worker.on('message', (reply: WorkerReply) => {
        if (reply.kind === 'ready') {
          this.readyCount++;
          if (this.ready) this.releaseReadyWaiters();
          return;
        }
        const waiter = this.waiting.get(reply.seq);
        if (waiter === undefined) return;
        this.waiting.delete(reply.seq);
        this.loads.done(waiter.worker, waiter.bytes);
        for (const memory of waiter.shared) {
          const count = this.sharedInFlight.get(memory)! - 1;
          if (count === 0) this.sharedInFlight.delete(memory);
          else this.sharedInFlight.set(memory, count);
        }
        if (reply.kind === 'result') {
          addFilterFaults(reply.filterFaults);
          waiter.resolve(reply.results);
        } else {
          waiter.reject(new Error(`scan worker failed: ${reply.message}`));
        }
      });
      worker.on('error', (error) => {
        if (!this.ready && !this.failedToStart) {
          this.failedToStart = true;
          this.startFailure = error.message.split('\n', 1)[0]!;
        }
        for (const waiter of this.waiting.values()) waiter.reject(error);
        this.waiting.clear();
        this.releaseReadyWaiters();
      });
      worker.on('exit', () => this.releaseReadyWaiters());
      return worker;
    });
  }

  private releaseReadyWaiters(): void {
    for (const release of this.readyWaiters.splice(0)) release();
  }

  async close(): Promise<void> {
    if (this.workers === null) return;
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers = null;
  }
}

/** Work sent to each worker and not yet answered; new work goes to the least loaded (the first such, on a tie). */
export class WorkerLoads {
  private readonly bytes: number[];

  constructor(workers: number) {
    this.bytes = Array.from({ length: workers }, () => 0);
  }

  /** The worker to send `bytes` of work to, counted as its own until `done`. */
  assign(bytes: number): number {
    let best = 0;
    for (let i = 1; i < this.bytes.length; i++) if (this.bytes[i]! < this.bytes[best]!) best = i;
    this.bytes[best]! += bytes;
    return best;
  }

  done(worker: number, bytes: number): void {
    this.bytes[worker]! -= bytes;
  }
}


/** A standalone ArrayBuffer holding exactly these bytes, so it can be transferred rather than copied again. */
function copyOut(bytes: Uint8Array): Uint8Array {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return bytes;
  return new Uint8Array(bytes);
}
