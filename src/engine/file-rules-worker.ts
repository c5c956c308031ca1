/** Worker thread entry: runs file-scoped rules (file-rules.ts) on batches of files. */
import { checkFiles } from './file-rules.js';
import { serveBatches } from '../util/parallel.js';

// Not a top-level await: the bundled workers are CommonJS (scripts/bundle.mjs). A rejection still ends
// the worker with an error, which the pool answers by redoing its batches.
void serveBatches(checkFiles);
