export { formatMessage } from '../util/format-message.js';

/** A message as every report prints it: one line, control and bidirectional characters escaped (util/printable.ts). */
export { printableLine as printableMessage } from '../util/printable.js';
