/** Test rules that show what the code model says of each file, as finding messages. */
import { defineRule, type CodeFile } from '../../src/rule-api.js';

/** A test rule `test/<name>` that reports, for each code file, one property the model gives it. */
export function filePropertyProbe(name: string, read: (file: CodeFile) => string) {
  return defineRule({
    meta: {
      id: `test/${name}`,
      title: `Shows each file's ${name}`,
      severity: 'warning',
      requires: ['code'],
      tags: ['test'],
      why: 'Test rule.',
      fix: 'None.',
      examples: { bad: [], good: [] },
      messages: { value: '{{value}}' },
    },
    check(ctx) {
      for (const file of ctx.code.files)
        ctx.report({ at: { file: file.path }, messageId: 'value', data: { value: read(file) } });
    },
  });
}

/** Each code file's reach (CodeFile.reach) as its message. */
export const reachProbe = filePropertyProbe('reach', (file) => file.reach);

/** At the first code file, the repositories the whole tree shows to reach no database. */
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

/** At the first code file, the loopback imports the whole tree shows (CodeModel.loopbackImports), as JSON. */
export const loopbackImportsProbe = defineRule({
  meta: {
    id: 'test/loopback-imports',
    title: 'Shows loopback imports',
    severity: 'warning',
    requires: ['code'],
    tags: ['test'],
    why: 'Test rule.',
    fix: 'None.',
    examples: { bad: [], good: [] },
    messages: { loopback: '{{keys}}' },
  },
  check(ctx) {
    const first = ctx.code.files[0];
    if (first)
      ctx.report({
        at: { file: first.path },
        messageId: 'loopback',
        data: { keys: JSON.stringify([...(ctx.code.loopbackImports?.() ?? [])].sort()) },
      });
  },
});
