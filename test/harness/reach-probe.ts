/** A test rule that reports each code file's reach (CodeFile.reach) as its message. */
import { defineRule } from '../../src/rule-api.js';

export const reachProbe = defineRule({
  meta: {
    id: 'test/reach',
    title: 'Shows reaches',
    severity: 'warning',
    requires: ['code'],
    tags: ['test'],
    why: 'Test rule.',
    fix: 'None.',
    examples: { bad: [], good: [] },
    messages: { reach: '{{reach}}' },
  },
  check(ctx) {
    for (const file of ctx.code.files)
      ctx.report({ at: { file: file.path }, messageId: 'reach', data: { reach: file.reach } });
  },
});
