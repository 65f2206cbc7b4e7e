/**
 * A single-consumer queue with a fixed capacity. `push` never waits: when the queue is full the
 * item is dropped and counted, so the producer (bpftrace's pipe) is always drained and the
 * traced workload is never slowed by a slow consumer.
 *
 * @example
 * const queue = new BoundedQueue<number>(2);
 * queue.push(1); queue.push(2); queue.push(3); // queue.drops === 1
 * for await (const n of queue) console.log(n); // 1, 2 … until queue.close()
 */
export class BoundedQueue<T> implements AsyncIterable<T> {
  drops = 0;
  private items: T[] = [];
  private head = 0;
  private closed = false;
  private wake: (() => void) | undefined;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.items.length - this.head;
  }

  /** Adds an item; returns false (and counts a drop) when full or closed. */
  push(item: T): boolean {
    if (this.closed || this.size >= this.capacity) {
      this.drops++;
      return false;
    }
    this.items.push(item);
    this.signal();
    return true;
  }

  /** Ends iteration once the items already queued are consumed. */
  close(): void {
    this.closed = true;
    this.signal();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      if (this.size > 0) {
        yield this.shift();
        continue;
      }
      if (this.closed) {
        return;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  private shift(): T {
    const item = this.items[this.head] as T;
    this.head++;
    // Compact now and then so the array does not grow without bound.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
