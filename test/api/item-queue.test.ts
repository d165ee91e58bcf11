import { describe, expect, test } from 'vitest';
import { ItemQueue } from '../../src/sources/cloudtrail-api/item-queue';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('item queue', () => {
  test('items from several producers come out in arrival order, then the stream ends on close', async () => {
    const queue = new ItemQueue<number>(10);
    const a = (async () => {
      await queue.push(1);
      await tick();
      await queue.push(3);
    })();
    const b = (async () => {
      await queue.push(2);
      await tick();
      await tick();
      await queue.push(4);
    })();
    void Promise.all([a, b]).then(() => queue.close());
    const got: number[] = [];
    for await (const n of queue) got.push(n);
    expect(got).toEqual([1, 2, 3, 4]);
  });

  test('a producer waits while the consumer is highWater items behind', async () => {
    const queue = new ItemQueue<number>(3);
    let pushed = 0;
    void (async () => {
      for (let i = 0; i < 10; i++) {
        await queue.push(i);
        pushed += 1;
      }
      queue.close();
    })();
    await tick();
    expect(pushed).toBe(2);
    const iterator = queue[Symbol.asyncIterator]();
    await iterator.next();
    await tick();
    expect(pushed).toBe(3);
    const rest: number[] = [];
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) rest.push(r.value);
    expect(rest).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  test('a consumer that stops early cancels the producers and releases waiting pushes', async () => {
    let cancelled = 0;
    const queue = new ItemQueue<number>(2, () => (cancelled += 1));
    const producer = (async () => {
      for (let i = 0; i < 5; i++) await queue.push(i);
    })();
    for await (const n of queue) {
      expect(n).toBe(0);
      break;
    }
    await producer;
    expect(cancelled).toBe(1);
    expect(queue.isClosed).toBe(true);
  });

  test('discard drops what is buffered and ends the consumer', async () => {
    const queue = new ItemQueue<number>(10);
    await queue.push(1);
    await queue.push(2);
    queue.discard();
    const got: number[] = [];
    for await (const n of queue) got.push(n);
    expect(got).toEqual([]);
  });
});
