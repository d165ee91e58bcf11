/**
 * Small files read ahead of the scan, on libuv's thread pool. A tree of trail files is thousands of
 * files of a few KB, each read whole with one blocking call (file-source.ts, `readWhole`): the calling
 * thread waited on every open, read and close, and where those calls are dear (a sandboxed or network
 * file system: ~130 µs a file here, where the bytes cost ~10 µs) that waiting was a quarter of a
 * selective scan of a 1,085-file tree. Started a few files ahead, the reads run on another core while
 * this thread inflates and searches the files before them; the thread then takes bytes already read.
 */
import { readFile } from 'node:fs';
import type { Discovery, InputFile } from './discover';

/** Files read ahead at most (each at most `wholeBytes`): enough to keep the thread pool's four threads busy. */
const READ_AHEAD_FILES = 16;

export class ReadAhead {
  private readonly reads = new WeakMap<InputFile, Promise<Buffer>>();

  constructor(private readonly wholeBytes: number) {}

  /** The discoveries, unchanged and in order, with the small files among the next few being read. */
  async *over(discoveries: AsyncIterable<Discovery>): AsyncGenerator<Discovery> {
    const queue: Discovery[] = [];
    for await (const discovery of discoveries) {
      this.start(discovery);
      queue.push(discovery);
      if (queue.length > READ_AHEAD_FILES) yield queue.shift()!;
    }
    yield* queue;
  }

  /**
   * The file's bytes as read ahead (a failure is thrown by the await, as the blocking read would
   * throw it), once; undefined when it was not read ahead.
   */
  take(file: InputFile): Promise<Buffer> | undefined {
    const read = this.reads.get(file);
    this.reads.delete(file);
    return read;
  }

  private start(discovery: Discovery): void {
    if (discovery.kind !== 'file' || discovery.file.kind !== 'file' || discovery.file.size > this.wholeBytes) return;
    const { path } = discovery.file;
    const read = new Promise<Buffer>((resolve, reject) => readFile(path, (error, bytes) => (error === null ? resolve(bytes) : reject(error))));
    // Taken and awaited when the scan reaches the file; a file the scan never reaches (a stopped run,
    // a file --state skips) must not fail the run.
    read.catch(() => {});
    this.reads.set(discovery.file, read);
  }
}
