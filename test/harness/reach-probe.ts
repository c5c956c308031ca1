/** Test rules that show what the code model says of each file, as finding messages. */
import { defineRule, type CodeFile, type CodeModel } from '../../src/rule-api.js';

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

/** A test rule that reports, at the first code file, one value of the whole code model as its message. */
function firstFileProbe(id: string, title: string, value: (code: CodeModel) => string) {
  return defineRule({
    meta: {
      id,
      title,
      severity: 'warning',
      requires: ['code'],
      tags: ['test'],
      why: 'Test rule.',
      fix: 'None.',
      examples: { bad: [], good: [] },
      messages: { value: '{{value}}' },
    },
    check(ctx) {
      const first = ctx.code.files[0];
      if (first) ctx.report({ at: { file: first.path }, messageId: 'value', data: { value: value(ctx.code) } });
    },
  });
}

/** At the first code file, the repositories the whole tree shows to reach no database. */
export const remoteRepositoriesProbe = firstFileProbe('test/remote-repositories', 'Shows remote repositories', (code) =>
  [...code.remoteRepositories()].sort().join(','),
);

/** At the first code file, the loopback imports the whole tree shows (CodeModel.loopbackImports), as JSON. */
export const loopbackImportsProbe = firstFileProbe('test/loopback-imports', 'Shows loopback imports', (code) =>
  JSON.stringify([...(code.loopbackImports?.() ?? [])].sort()),
);
