/**
 * Read buffers lent to a file source and taken back once nothing cut from them is in use. Fresh
 * memory costs a page fault per 4 KiB on first touch: reading 60 MB into new 1 MiB buffers took
 * about 370 ms of CPU, against about 60 ms reading into a few reused ones (user and system time of
 * one pass, this machine). A scan holds one or two reads at a time, so a handful of buffers serve a
 * whole input. Shared buffers (SharedArrayBuffer) are for a scan that sends chunks to worker threads:
 * a worker reads a chunk where it lies, so nothing copies it on the way, and the buffer is lent again
 * once the worker has answered (the reader's `inUse` says so).
 */
import type { ReadBuffers } from '../byte-source';

/** Free buffers kept beyond this are left to the garbage collector (a long value spanning many reads). */
const MAX_FREE = 4;

export class BufferPool implements ReadBuffers {
  private free: Buffer[] = [];
  private lent: Buffer[] = [];

  constructor(private readonly shared = false) {}

  take(size: number): Buffer {
    const at = this.free.findIndex((buffer) => buffer.length >= size);
    const buffer = at >= 0 ? this.free.splice(at, 1)[0]! : this.shared ? Buffer.from(new SharedArrayBuffer(size)) : Buffer.allocUnsafeSlow(size);
    this.lent.push(buffer);
    return buffer;
  }

  /**
   * Takes back every lent buffer `inUse` says nothing refers to any more. The caller must know that
   * nothing else does: what it handed on from them has been dealt with.
   */
  reclaim(inUse: (memory: ArrayBufferLike) => boolean): void {
    const still: Buffer[] = [];
    for (const buffer of this.lent) {
      if (inUse(buffer.buffer)) still.push(buffer);
      // A buffer transferred to a worker is detached (length 0): it is gone, not free.
      else if (buffer.length > 0 && this.free.length < MAX_FREE) this.free.push(buffer);
    }
    this.lent = still;
  }
}
