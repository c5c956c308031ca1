/** Worker thread entry: runs file-scoped rules (file-rules.ts) on batches of files. */
import { checkFiles } from './file-rules.js';
import { serveBatches } from './parallel.js';

await serveBatches(checkFiles);
