/**
 * Parallel work over worker threads, for steps whose items and results are plain data
 * (structured-cloneable): SQL text in, schema events out; a batch of files in, findings out.
 * Syntax trees cannot cross threads, so what crosses is always data.
 *
 * Items are cut into batches, and every thread claims the next batch from one shared counter
 * (Atomics on a SharedArrayBuffer), so no thread waits for another to hand out work: the calling
 * thread may be busy elsewhere (building the routes model) while workers go on, and joins in when
 * it is free. Results are put back in item order, so what a run reports never depends on how many
 * threads there were or which one handled which batch. A batch a worker did not deliver (it threw,
 * died or never started) is redone by the calling thread: parallelism may make a run faster, never
 * different.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parentPort, Worker, workerData } from 'node:worker_threads';

/** Handles one batch: one result per item, in item order. `setup` is the job's `setup`, on every thread. */
export type BatchHandler<I, O, S> = (batch: I[], setup: S) => O[] | Promise<O[]>;

export interface ParallelJob<I, O, S = undefined> {
  items: readonly I[];
  /** The handler on the calling thread; the worker script serves the same one (`serveBatches`). */
  handle: BatchHandler<I, O, S>;
  /** Data every thread's handler gets (the run's cwd, config…). */
  setup: S;
  /** The worker script, a module that calls `serveBatches`. Missing (running from TS sources): no workers. */
  worker: URL;
  /** All threads, the calling one included; 1 means no workers (the caller decides whether they pay). */
  threads: number;
  /** Items per batch: large enough that messaging is cheap, small enough to balance the load. */
  batchSize: number;
}

export interface ParallelResult<O> {
  /** One result per item, in item order. */
  results: O[];
  /** Threads started for the job, the calling one included (for --verbose). */
  threads: number;
}

export interface ParallelRun<O> {
  /** The calling thread takes batches too until none is left, then waits for the workers. */
  join(): Promise<ParallelResult<O>>;
}

/**
 * The default thread count: 1. Measured on 2-core machines (bench/README.md, "Threads"), worker
 * threads did not pay for any workload archlint has: each V8 isolate loads and warms up its own
 * parser (TypeScript's JIT, the WASM PostgreSQL parser), parsing allocates heavily, and two busy
 * threads slow each other's garbage collection — a 10,000-file SQL history parsed in 771 ms on one
 * thread and 754 ms on two; a 17,000-file secrets scan took 3.6 s on one and 3.7 s on two. So
 * parallelism is opt-in (`--threads N`) until it is measured to pay on larger machines.
 */
export function defaultThreads(): number {
  return 1;
}

interface WorkerInput<I, S> {
  items: readonly I[];
  setup: S;
  batchSize: number;
  /** [0]: the next unclaimed batch. */
  next: Int32Array;
}

type Reply<O> = { batch: number; results: O[] } | { batch: number; error: string };

/** Starts the workers now; the calling thread joins in with `join()` when it is free. */
export function startParallel<I, O, S>(job: ParallelJob<I, O, S>): ParallelRun<O> {
  const { items, batchSize } = job;
  const batchCount = Math.ceil(items.length / batchSize);
  const results = new Array<O>(items.length);
  const delivered = new Uint8Array(batchCount);
  const next = new Int32Array(new SharedArrayBuffer(4));
  const runBatch = async (batch: number) => {
    const start = batch * batchSize;
    const out = await job.handle(items.slice(start, start + batchSize), job.setup);
    out.forEach((result, i) => {
      results[start + i] = result;
    });
    delivered[batch] = 1;
  };

  const wanted = Math.min(job.threads - 1, batchCount - 1);
  const workerCount = wanted > 0 && existsSync(fileURLToPath(job.worker)) ? wanted : 0;
  const input: WorkerInput<I, S> = { items, setup: job.setup, batchSize, next };
  const workersDone = Array.from(
    { length: workerCount },
    () =>
      new Promise<void>((resolve) => {
        const worker = new Worker(job.worker, { workerData: input });
        worker.on('message', (reply: Reply<O>) => {
          if ('error' in reply) return;
          const start = reply.batch * batchSize;
          reply.results.forEach((result, i) => {
            results[start + i] = result;
          });
          delivered[reply.batch] = 1;
        });
        // A worker that cannot start or throws outside a batch: its undelivered batches are redone below.
        worker.on('error', () => {});
        worker.on('exit', () => resolve());
      }),
  );

  return {
    async join() {
      for (let batch = Atomics.add(next, 0, 1); batch < batchCount; batch = Atomics.add(next, 0, 1))
        await runBatch(batch);
      await Promise.all(workersDone);
      for (let batch = 0; batch < batchCount; batch++) if (!delivered[batch]) await runBatch(batch);
      return { results, threads: 1 + workerCount };
    },
  };
}

export function mapParallel<I, O, S>(job: ParallelJob<I, O, S>): Promise<ParallelResult<O>> {
  return startParallel(job).join();
}

/**
 * The worker side: claims batches until none is left and answers each with the handler's results.
 * A batch whose handler throws is answered with the error; the calling thread redoes it (where
 * the error surfaces the way it would in a serial run). The worker ends when no batch is left.
 */
export async function serveBatches<I, O, S>(handle: BatchHandler<I, O, S>): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('serveBatches() runs inside a worker thread');
  const { items, setup, batchSize, next } = workerData as WorkerInput<I, S>;
  const batchCount = Math.ceil(items.length / batchSize);
  for (let batch = Atomics.add(next, 0, 1); batch < batchCount; batch = Atomics.add(next, 0, 1)) {
    const start = batch * batchSize;
    try {
      port.postMessage({
        batch,
        results: await handle(items.slice(start, start + batchSize), setup),
      } satisfies Reply<O>);
    } catch (error) {
      port.postMessage({ batch, error: String(error) } satisfies Reply<O>);
    }
  }
}
