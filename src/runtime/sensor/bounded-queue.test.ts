import { describe, expect, it } from 'vitest';

import { BoundedQueue } from './bounded-queue.js';

describe('runtime/sensor/bounded-queue', () => {
  it('drops and counts items past its capacity', () => {
    const queue = new BoundedQueue<number>(2);

    const accepted = [1, 2, 3, 4].map((n) => queue.push(n));

    expect(accepted).toEqual([true, true, false, false]);
    expect(queue.drops).toBe(2);
  });

  it('hands items to a waiting consumer and ends after close', async () => {
    const queue = new BoundedQueue<number>(5000);
    const seen: number[] = [];
    const consumer = (async () => {
      for await (const n of queue) {
        seen.push(n);
      }
    })();

    for (let i = 0; i < 3000; i++) {
      queue.push(i);
      if (i % 500 === 0) {
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    queue.close();
    await consumer;

    expect(seen).toHaveLength(3000);
    expect(seen[2999]).toBe(2999);
  });
});
