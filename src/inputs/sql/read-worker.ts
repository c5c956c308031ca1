/** Worker thread entry: reads migration files (read-task.ts) for the schema input, batch by batch. */
import { serveBatches } from '../../engine/parallel.js';
import { readTasks } from './read-task.js';

await serveBatches(readTasks);
