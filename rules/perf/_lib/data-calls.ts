/**
 * Data-layer calls live in the model (src/model/data-calls.ts): the routes input judges what a list
 * endpoint's handler reads with the same recognition the perf rules use.
 */
export {
  dataCall,
  fileFacts,
  inMemoryCreate,
  managerWithoutOrm,
  type DataCall,
  type FileFacts,
} from '../../../src/rule-api.js';
