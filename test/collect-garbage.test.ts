import { describe, expect, it } from 'vitest';
import { HeapMark } from '../src/util/collect-garbage.js';

const MB = 1024 * 1024;

/** A heap whose size the test sets, and whose collection leaves what the test says is live. */
function fakeHeap(live: number) {
  const heap = { used: 0, live, collections: 0 };
  const mark = new HeapMark(
    () => heap.used,
    () => {
      heap.collections += 1;
      heap.used = heap.live;
    },
    100 * MB,
  );
  return { heap, mark };
}

describe('HeapMark', () => {
  it('does not collect a heap that stays under twice the growth (a small tree never pays for a collection)', async () => {
    const { heap, mark } = fakeHeap(50 * MB);
    heap.used = 150 * MB;
    expect(await mark.check()).toBeUndefined();
    expect(heap.collections).toBe(0);
  });

  it('collects once the heap grew past the mark, then waits for the growth past what was live', async () => {
    const { heap, mark } = fakeHeap(300 * MB);
    heap.used = 550 * MB;
    expect(await mark.check()).toEqual({ before: 550 * MB, after: 300 * MB });
    // 300 MB live: the next mark is 400 MB, whatever released the memory in between.
    heap.used = 390 * MB;
    expect(await mark.check()).toBeUndefined();
    heap.used = 410 * MB;
    expect(await mark.check()).toEqual({ before: 410 * MB, after: 300 * MB });
    expect(heap.collections).toBe(2);
  });

  it("counts V8's own collections: a heap that fell back under the mark is not collected", async () => {
    const { heap, mark } = fakeHeap(300 * MB);
    heap.used = 600 * MB;
    await mark.check();
    heap.used = 380 * MB;
    expect(await mark.check()).toBeUndefined();
    expect(heap.collections).toBe(1);
  });
});
