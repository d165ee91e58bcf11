/**
 * Hands results to a consumer in submission order as soon as each (and every one before it) is in,
 * while at most `capacity` are outstanding. The consumer runs concurrently with the producer, so a
 * live feed's output is written as it is ready, not when the next input happens to arrive.
 */
export class OrderedDrain<T> {
  private readonly queue: Promise<T>[] = [];
  private wakeConsumer: (() => void) | null = null;
  private wakeProducer: (() => void) | null = null;
  private closed = false;
  private failure: unknown = null;
  private readonly consumer: Promise<void>;

  constructor(
    private readonly capacity: number,
    consume: (item: T) => Promise<void> | void,
  ) {
    this.consumer = this.run(consume);
    // Surfaced through submit()/finish(); never an unhandled rejection.
    this.consumer.catch(() => {});
  }

  /** Queues a pending result; waits while the queue is full. Throws what the consumer threw. */
  async submit(item: Promise<T>): Promise<void> {
    item.catch(() => {}); // awaited in order by the consumer; avoid an early unhandled rejection
    this.queue.push(item);
    this.wake('consumer');
    while (this.queue.length >= this.capacity && this.failure === null) {
      await new Promise<void>((resolve) => (this.wakeProducer = resolve));
    }
    if (this.failure !== null) throw this.failure;
  }

  /** Waits until everything submitted has been consumed. */
  async finish(): Promise<void> {
    this.closed = true;
    this.wake('consumer');
    await this.consumer;
  }

  private async run(consume: (item: T) => Promise<void> | void): Promise<void> {
    try {
      for (;;) {
        const head = this.queue[0];
        if (head === undefined) {
          if (this.closed) return;
          await new Promise<void>((resolve) => (this.wakeConsumer = resolve));
          continue;
        }
        const value = await head;
        this.queue.shift();
        this.wake('producer');
        await consume(value);
      }
    } catch (error) {
      this.failure = error;
      this.wake('producer');
      throw error;
    }
  }

  private wake(who: 'consumer' | 'producer'): void {
    const resolve = who === 'consumer' ? this.wakeConsumer : this.wakeProducer;
    if (who === 'consumer') this.wakeConsumer = null;
    else this.wakeProducer = null;
    resolve?.();
  }
}
