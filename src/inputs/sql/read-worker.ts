/** Worker thread entry: reads migration files (read-task.ts) for the schema input, batch by batch. */
import { serveBatches } from '../../util/parallel.js';
import { readTasks } from './read-task.js';

// Not a top-level await: the bundled workers are CommonJS (scripts/bundle.mjs). A rejection still ends
// the worker with an error, which the pool answers by redoing its batches.
void serveBatches(readTasks);
