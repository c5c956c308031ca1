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

/** A test rule that reports, at the first code file, the repositories the whole tree shows to reach no database. */
export const remoteRepositoriesProbe = defineRule({
  meta: {
    id: 'test/remote-repositories',
    title: 'Shows remote repositories',
    severity: 'warning',
    requires: ['code'],
    tags: ['test'],
    why: 'Test rule.',
    fix: 'None.',
    examples: { bad: [], good: [] },
    messages: { remote: '{{names}}' },
  },
  check(ctx) {
    const first = ctx.code.files[0];
    if (first)
      ctx.report({
        at: { file: first.path },
        messageId: 'remote',
        data: { names: [...ctx.code.remoteRepositories()].sort().join(',') },
      });
  },
});
