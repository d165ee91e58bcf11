/**
 * Many producers (one per lookup), one consumer: items flow out in arrival order as an async
 * iterable. A producer's `push` waits while the consumer is `highWater` items behind, so a slow
 * output slows the fetching down instead of growing memory.
 */
export class ItemQueue<T> implements AsyncIterable<T> {
  private readonly buffer: T[] = [];
  private closed = false;
  private wakeConsumer: (() => void) | null = null;
  private readonly wakeProducers: (() => void)[] = [];

  constructor(
    private readonly highWater = 1000,
    /** Called once when the consumer stops early (`break`, `return()`): producers should stop. */
    private readonly onCancel: () => void = () => {},
  ) {}

  async push(item: T): Promise<void> {
    if (this.closed) return;
    this.buffer.push(item);
    this.wake();
    while (this.buffer.length >= this.highWater && !this.closed) {
      await new Promise<void>((resolve) => this.wakeProducers.push(resolve));
    }
  }

  /** No more items: the consumer ends after draining what is buffered. */
  close(): void {
    this.closed = true;
    this.wake();
    this.releaseProducers();
  }

  /** Stop now: what is buffered is dropped and the consumer ends at its next step. */
  discard(): void {
    this.buffer.length = 0;
    this.close();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    let finished = false;
    try {
      for (;;) {
        const item = this.buffer.shift();
        if (item !== undefined) {
          if (this.buffer.length < this.highWater) this.releaseProducers();
          yield item;
          continue;
        }
        if (this.closed) {
          finished = true;
          return;
        }
        await new Promise<void>((resolve) => (this.wakeConsumer = resolve));
      }
    } finally {
      if (!finished) {
        this.closed = true;
        this.buffer.length = 0;
        this.releaseProducers();
        this.onCancel();
      }
    }
  }

  private wake(): void {
    const wake = this.wakeConsumer;
    this.wakeConsumer = null;
    wake?.();
  }

  private releaseProducers(): void {
    for (const release of this.wakeProducers.splice(0)) release();
  }
}
