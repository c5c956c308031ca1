/**
 * api/spec-matches-code: how code routes and described operations are matched. The matching lives in
 * the model (src/model/spec-code-matching.ts), where the `http` input also uses it to tell which routes a
 * service's description publishes.
 */
export {
  documents,
  isCompared,
  isUnder,
  pairSides,
  pathKey,
  serves,
  sidesOf,
  supersededBy,
  type Pairing,
  type Side,
} from '../../../src/rule-api.js';
