/** Call chains live in the model (src/model/call-chains.ts): the routes input reads data calls with them too. */
export { chainAt, chainLabel, type Chain, type Segment } from '../../../src/rule-api.js';
