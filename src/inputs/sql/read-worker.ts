/** Worker thread entry: reads migration files (read-task.ts) for the schema input, batch by batch. */
import { serveBatches } from '../../engine/parallel.js';
import { readTask } from './read-task.js';

serveBatches(readTask);
