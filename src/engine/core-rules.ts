/**
 * Diagnostics the engine itself reports. They have meta like any rule (so `rules`, `explain`,
 * config severities and SARIF descriptors treat them alike) but no check: the engine emits them.
 */
import type { RuleMeta } from '../rule-api.js';

export const PARSE_ERROR = 'core/parse-error';
export const INTERNAL_ERROR = 'core/internal-error';
export const UNUSED_SUPPRESSION = 'core/unused-suppression';
export { SKIPPED_FILE } from '../model/core-diagnostics.js';
import { SKIPPED_FILE, skippedFileMessages } from '../model/core-diagnostics.js';

export const coreRuleMetas: RuleMeta[] = [
  {
    id: PARSE_ERROR,
    title: 'Every input file can be parsed',
    severity: 'warning',
    requires: [],
    tags: ['core'],
    why:
      'A file that cannot be parsed is not checked by any rule, so its problems go unseen. archlint reports ' +
      "the parser's message at the position it gives and goes on with the other files (and, in SQL, with " +
      'the other statements of the same file). A file is judged as the program that runs it reads it, since only ' +
      'what fails there is an error: the SQL of a JavaScript string with its escapes undone, a script a Compose file ' +
      "mounts into a MySQL or PostgreSQL container in that engine's dialect (client commands such as `exit` included), " +
      "a CommonJS script without `'use strict'` in sloppy mode (legacy octal escapes are legal there), and a " +
      'fragment a Grunt or Gulp config concatenates with other files (an `intro.js` that opens a wrapper) not alone.',
    fix:
      'Fix the syntax at the reported position. If the file is not meant to be valid (a template, a test ' +
      'fixture), add it to `ignore` in the config or put `archlint-disable-file core/parse-error` in a comment.',
    examples: {
      bad: [
        {
          description: 'A YAML description with a broken indentation.',
          files: { 'openapi.yaml': 'openapi: 3.0.3\ninfo:\n  title: Orders\n version: 1.0.0\npaths: {}\n' },
        },
      ],
      good: [{ files: { 'openapi.yaml': 'openapi: 3.0.3\ninfo:\n  title: Orders\n  version: 1.0.0\npaths: {}\n' } }],
    },
    messages: { parse: '{{message}}' },
  },
  {
    id: INTERNAL_ERROR,
    title: 'Every rule runs to completion',
    severity: 'error',
    requires: [],
    tags: ['core'],
    why:
      'A rule or input that crashed did not check what it should have; its absence of findings means nothing. ' +
      'archlint keeps going with the other rules and says which one failed.',
    fix:
      'This is a bug in archlint (or in a custom rule). Re-run with --verbose for the stack trace and report it ' +
      'with the input that triggers it. Meanwhile the rule can be turned off in the config.',
    examples: { bad: [], good: [] },
    messages: {
      rule: 'Rule {{rule}} failed: {{message}}',
      input: 'Reading the {{input}} input failed, so {{rules}} did not run: {{message}}',
    },
  },
  {
    id: SKIPPED_FILE,
    title: 'Every migration and API description is read',
    severity: 'note',
    requires: [],
    tags: ['core'],
    why:
      "Files over `maxFileSize` (10 MB by default) and files that cannot be read are skipped, so archlint's " +
      'time and memory stay bounded on any repository. A skipped SQL migration leaves its tables, keys and ' +
      'indexes out of the folded schema (a foreign key indexed there looks unindexed), and a skipped OpenAPI ' +
      'description leaves its service unchecked: the findings that remain are about an incomplete picture.',
    fix:
      'Raise `maxFileSize` in the config (e.g. `maxFileSize: 64MB`) if the file is a real migration or ' +
      'description, make it readable, or add it to `ignore` if it is a data dump that is not part of the schema.',
    examples: { bad: [], good: [] },
    messages: skippedFileMessages,
  },
  {
    id: UNUSED_SUPPRESSION,
    title: 'Every suppression comment suppresses something',
    severity: 'note',
    requires: [],
    tags: ['core'],
    why:
      'A suppression that matches no finding is left over from fixed code or names the wrong rule or line; it ' +
      'would silently hide a future, real problem.',
    fix: 'Remove the suppression, or correct its rule id or placement (`-next-line` covers the line below it).',
    examples: {
      bad: [
        {
          description: 'The next line has nothing for the named rule to report.',
          files: {
            'src/app.ts':
              '// archlint-disable-next-line security/no-hardcoded-secrets -- fixed already\nconst secret = process.env.JWT_SECRET;\n',
          },
        },
      ],
      good: [{ files: { 'src/app.ts': 'const secret = process.env.JWT_SECRET;\n' } }],
    },
    messages: {
      unused: 'This {{directive}} suppresses nothing for {{rule}}.',
      unknownRule: 'This {{directive}} names "{{rule}}", which is not an archlint rule{{hint}}.',
    },
  },
];
