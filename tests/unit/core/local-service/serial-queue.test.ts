import { describe, expect, it } from 'vitest';
import { SerialQueue } from '../../../../src/core/local-service/serial-queue.js';

describe('SerialQueue', () => {
  it('runs jobs one at a time in arrival order, and a failing job does not stop the next', async () => {
    const queue = new SerialQueue();
    const events: string[] = [];
    const job = (name: string, ms: number, fail = false) => async () => {
      events.push(`start ${name}`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      events.push(`end ${name}`);
      if (fail) throw new Error(name);
      return name;
    };
    const results = await Promise.allSettled([queue.run(job('a', 30)), queue.run(job('b', 5, true)), queue.run(job('c', 1))]);
    expect(events).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(queue.length).toBe(0);
  });
});
