/**
 * Writes NDJSON to a stream with backpressure. A reader that goes away (`ctq … | head -1`) is not an
 * error: the sink marks itself closed and fires `onClosed`, so the run stops reading and exits 0.
 */
import type { Writable } from 'node:stream';

export class NdjsonSink {
  private closedByReader = false;
  private failure: Error | null = null;
  private readonly closedListeners: (() => void)[] = [];

  constructor(private readonly stream: Writable) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') this.markClosed();
      else this.failure = error;
    });
  }

  get closed(): boolean {
    return this.closedByReader;
  }

  get error(): Error | null {
    return this.failure;
  }

  onClosed(listener: () => void): void {
    this.closedListeners.push(listener);
  }

  /** Writes whole lines (text or UTF-8, ending with `\n`). Resolves when the stream can take more. */
  write(text: string | Uint8Array): Promise<void> | void {
    if (this.closedByReader || this.failure !== null || text.length === 0) return;
    if (this.stream.write(text)) return;
    return new Promise((resolve) => {
      const done = () => {
        this.stream.off('drain', done);
        this.stream.off('close', done);
        this.stream.off('error', done);
        resolve();
      };
      this.stream.on('drain', done);
      this.stream.on('close', done);
      this.stream.on('error', done);
    });
  }

  /** Writes one event: its recorded text when there is one, else its JSON. */
  writeEvent(text: string | null, event: unknown): Promise<void> | void {
    return this.write((text ?? JSON.stringify(event)) + '\n');
  }

  /** Resolves once everything written has been handed to the OS (or the reader has gone). */
  end(): Promise<void> {
    if (this.closedByReader) return Promise.resolve();
    return new Promise((resolve) => {
      // stdout is not closed (other code may still log); an empty write's callback marks the flush.
      this.stream.write('', () => resolve());
    });
  }

  private markClosed(): void {
    if (this.closedByReader) return;
    this.closedByReader = true;
    for (const listener of this.closedListeners) listener();
  }
}
