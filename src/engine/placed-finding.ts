import type { RawFinding, SeveritySetting } from '../model/finding.js';
import type { Placement } from './locate.js';

/** A finding after placement, before fingerprinting: what suppression and grading work on. */
export interface PlacedFinding {
  raw: RawFinding;
  placement: Placement;
  severity: Exclude<SeveritySetting, 'off'>;
}
