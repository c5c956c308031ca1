/**
 * A parallel map over worker threads, for parse steps whose items and results are plain data
 * (structured-cloneable): SQL text in, schema events out. Syntax trees of TypeScript cannot cross
 * threads, so only inputs whose parse products are data use this.
 *
 * The calling thread works too: it takes batches from the same queue as the workers, so a worker
 * that is slow to start costs nothing, and a 2-core machine keeps both cores busy. Results are put
 * back in item order, so what a run reports never depends on how many threads there were or which
 * thread handled which file. A worker that fails (cannot start, throws) hands its batches back to
 * the calling thread: parallelism may make a run faster, never different.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parentPort, Worker } from 'node:worker_threads';

export interface ParallelMap<I, O> {
  items: readonly I[];
  /** The handler on the calling thread; the worker script serves the same handler (`serveBatches`). */
  handle: (item: I) => O | Promise<O>;
  /** The worker script, a module that calls `serveBatches`. Absent (running from TS sources): serial. */
  worker: URL;
  /** All threads, the calling one included; 1 means no workers. */
  threads: number;
  /** Items per message: large enough that messaging is cheap, small enough to balance the load. */
  batchSize: number;
  /** Below this many items a worker's start-up (~50–100 ms) costs more than it saves. */
  minItemsForWorkers: number;
}

/** The default thread count: the cores there are, at most 4 (beyond that, start-up outweighs gains). */
export function defaultThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

interface Batch {
  start: number;
  end: number;
}

type Reply<O> = { start: number; results: O[] } | { start: number; error: string };

export interface ParallelResult<O> {
  /** One result per item, in item order. */
  results: O[];
  /** Threads that took part, the calling one included (for --verbose). */
  threads: number;
}

export async function mapParallel<I, O>(job: ParallelMap<I, O>): Promise<ParallelResult<O>> {
  const { items, handle, batchSize } = job;
  const results = new Array<O>(items.length);
  const runBatch = async (batch: Batch) => {
    for (let i = batch.start; i < batch.end; i++) results[i] = await handle(items[i]!);
  };

  const batches: Batch[] = [];
  for (let start = 0; start < items.length; start += batchSize) batches.push({ start, end: Math.min(items.length, start + batchSize) });
  const workerCount = items.length < job.minItemsForWorkers ? 0 : Math.min(job.threads - 1, batches.length - 1);
  if (workerCount <= 0 || !existsSync(fileURLToPath(job.worker))) {
    for (const batch of batches) await runBatch(batch);
    return { results, threads: 1 };
  }

  /** Batches a failed worker gave back: the calling thread does them itself. */
  const returned: Batch[] = [];
  let next = 0;
  const take = () => (next < batches.length ? batches[next++] : undefined);

  const workersDone = Array.from({ length: workerCount }, () => drive(job, take, results, returned));
  // The calling thread's share, yielding between batches so workers' replies are taken in and
  // answered with new batches while it works.
  for (let batch = take(); batch; batch = take()) {
    await runBatch(batch);
    await new Promise((resolve) => setImmediate(resolve));
  }
  await Promise.all(workersDone);
  for (const batch of returned) await runBatch(batch);
  return { results, threads: 1 + workerCount };
}

/** One worker: keeps two batches in flight (one computing, one queued) until the queue is empty. */
function drive<I, O>(job: ParallelMap<I, O>, take: () => Batch | undefined, results: O[], returned: Batch[]): Promise<void> {
  return new Promise((resolve) => {
    const inFlight = new Map<number, Batch>();
    let finished = false;
    const worker = new Worker(job.worker);
    const finish = (failed: boolean) => {
      if (finished) return;
      finished = true;
      if (failed) returned.push(...inFlight.values());
      inFlight.clear();
      void worker.terminate();
      resolve();
    };
    const send = () => {
      const batch = take();
      if (!batch) {
        if (inFlight.size === 0) finish(false);
        return;
      }
      inFlight.set(batch.start, batch);
      worker.postMessage({ start: batch.start, items: job.items.slice(batch.start, batch.end) });
    };
    worker.on('message', (reply: Reply<O>) => {
      const batch = inFlight.get(reply.start);
      if (!batch) return;
      if ('error' in reply) return finish(true);
      inFlight.delete(reply.start);
      reply.results.forEach((result, i) => (results[batch.start + i] = result));
      send();
    });
    worker.on('error', () => finish(true));
    worker.on('exit', () => finish(inFlight.size > 0));
    send();
    send();
  });
}

/**
 * The worker side: answers each batch with the handler's results, in order. A handler that throws
 * answers with the error, and the calling thread redoes the batch (where the error surfaces the way
 * it would in a serial run).
 */
export function serveBatches<I, O>(handle: (item: I) => O | Promise<O>): void {
  const port = parentPort;
  if (!port) throw new Error('serveBatches() runs inside a worker thread');
  port.on('message', async (message: { start: number; items: I[] }) => {
    try {
      const results: O[] = [];
      for (const item of message.items) results.push(await handle(item));
      port.postMessage({ start: message.start, results } satisfies Reply<O>);
    } catch (error) {
      port.postMessage({ start: message.start, error: String(error) } satisfies Reply<O>);
    }
  });
}
