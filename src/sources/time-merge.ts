/**
 * A k-way merge of lanes (streams each already in time order) into one stream in time order, pulling
 * from a lane only when its head has been handed on: memory holds one head per lane, never a whole
 * listing. Ties, and items that carry no time, keep the lanes' order, so lanes of untimed items come
 * out exactly as they went in, one lane after the other.
 */

/** A lane: local listings are synchronous (no promise per item), S3 listings asynchronous. */
export type Lane<T> = Iterator<T> | AsyncIterator<T>;

interface Head<T> {
  readonly lane: number;
  readonly item: T;
  /** The item's time; an item without one takes the time of the item before it in its lane (−∞ at its start). */
  readonly ms: number;
}

/**
 * `timeOf` gives an item's time, or null when it has none: such an item keeps its place in its lane
 * (it sorts with the timed item before it), and lanes starting with untimed items come first.
 */
export async function* mergeInTimeOrder<T>(lanes: readonly Lane<T>[], timeOf: (item: T) => number | null): AsyncGenerator<T> {
  const heap = new MinHeap<Head<T>>((a, b) => a.ms - b.ms || a.lane - b.lane);
  const pull = async (lane: number, previousMs: number): Promise<void> => {
    const pending = lanes[lane]!.next();
    const next = pending instanceof Promise ? await pending : pending;
    if (next.done === true) return;
    heap.push({ lane, item: next.value, ms: timeOf(next.value) ?? previousMs });
  };
  try {
    // Every lane's first item, asked for at once: an S3 lane's is a listing request.
    await Promise.all(lanes.map((_, lane) => pull(lane, -Infinity)));
    for (let head = heap.pop(); head !== undefined; head = heap.pop()) {
      yield head.item;
      await pull(head.lane, head.ms);
    }
  } finally {
    // Stopped early (an abort, a closed stdout): let each lane close what it holds.
    for (const lane of lanes) {
      const closing = lane.return?.();
      if (closing instanceof Promise) await closing.catch(() => undefined);
    }
  }
}

/** A binary min-heap: the lanes of a tree are accounts × regions, thousands in an organization's bucket. */
class MinHeap<T> {
  private readonly items: T[] = [];

  constructor(private readonly before: (a: T, b: T) => number) {}

  push(item: T): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.before(items[i]!, items[parent]!) >= 0) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    items[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < items.length && this.before(items[left]!, items[least]!) < 0) least = left;
      if (right < items.length && this.before(items[right]!, items[least]!) < 0) least = right;
      if (least === i) return top;
      [items[i], items[least]] = [items[least]!, items[i]!];
      i = least;
    }
  }
}
