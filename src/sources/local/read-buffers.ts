/**
 * Read buffers lent to a file source and taken back once nothing cut from them is in use. Fresh
 * memory costs a page fault per 4 KiB on first touch: reading 60 MB into new 1 MiB buffers took
 * about 370 ms of CPU, against about 60 ms reading into a few reused ones (user and system time of
 * one pass, this machine). A scan holds one or two reads at a time, and the file source reads one
 * ahead, so a handful of buffers serve a whole input. Shared buffers (SharedArrayBuffer) are for a scan that sends chunks to worker threads:
 * a chunk goes to a worker where it lies, so this thread does not copy it, and the buffer is lent
 * again once the worker has answered (the reader's `inUse` says so). They are lent only while
 * `shared()` says so: a chunk scanned on this thread is better in memory of its own (see
 * scan/scan-worker.ts: V8 reads shared memory several times slower in the splitter's loops).
 */
import type { ReadBuffers } from '../byte-source';

/** Free buffers kept beyond this are left to the garbage collector (a long value spanning many reads). */
const MAX_FREE = 4;

export class BufferPool implements ReadBuffers {
  private free: Buffer[] = [];
  private lent: Buffer[] = [];
  /** Lent buffers a read is still filling: never taken back, whatever the reader holds. */
  private readonly filling = new Set<Buffer>();

  constructor(private readonly shared: () => boolean = () => false) {}

  take(size: number): Buffer {
    const shared = this.shared();
    const at = this.free.findIndex((buffer) => buffer.length >= size && isShared(buffer) === shared);
    const buffer = at >= 0 ? this.free.splice(at, 1)[0]! : shared ? Buffer.from(new SharedArrayBuffer(size)) : Buffer.allocUnsafeSlow(size);
    this.lent.push(buffer);
    this.filling.add(buffer);
    return buffer;
  }

  filled(buffer: Buffer): void {
    this.filling.delete(buffer);
  }

  /**
   * Takes back every lent buffer `inUse` says nothing refers to any more. The caller must know that
   * nothing else does: what it handed on from them has been dealt with.
   */
  reclaim(inUse: (memory: ArrayBufferLike) => boolean): void {
    const still: Buffer[] = [];
    // Once reads go to shared memory they stay there: buffers of the other kind are left to the collector.
    const shared = this.shared();
    this.free = this.free.filter((buffer) => isShared(buffer) === shared);
    for (const buffer of this.lent) {
      if (this.filling.has(buffer) || inUse(buffer.buffer)) still.push(buffer);
      // A buffer transferred to a worker is detached (length 0): it is gone, not free.
      else if (buffer.length > 0 && isShared(buffer) === shared && this.free.length < MAX_FREE) this.free.push(buffer);
    }
    this.lent = still;
  }
}

function isShared(buffer: Buffer): boolean {
  return buffer.buffer instanceof SharedArrayBuffer;
}
