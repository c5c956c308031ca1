/**
 * Code nested so deeply that a recursive walk of its tree would overflow the stack. Every shape —
 * long operator chains, nested brackets, arrow functions, ternaries, property and method chains,
 * statement nesting — up to 20,000 levels is a `core/parse-error` and the run goes on; a file just
 * within MAX_SYNTAX_DEPTH is linted, with half of Node's stack, so the limit keeps a margin of at
 * least 2× under the deepest walk the rules and inputs make.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rules } from '../rules/index.js';
import { lint } from '../src/engine/run.js';
import { checkDepth, MAX_SYNTAX_DEPTH } from '../src/inputs/code/nesting.js';
import { loadTypeScript } from '../src/inputs/code/ts-morph.js';

const BIN = new URL('../bin/archlint.js', import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'archlint-nesting-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let counter = 0;

function tree(files: Record<string, string>): string {
  const dir = join(scratch, `case-${counter++}`);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/** Expressions `n` levels deep. The TypeScript parser reads the first group in a loop, so only a walk of the tree can overflow on them. */
const CHAINS: Record<string, (n: number) => string> = {
  plus: (n) => Array(n).fill('a').join(' + '),
  and: (n) => Array(n).fill('a').join(' && '),
  nullish: (n) => Array(n).fill('a').join(' ?? '),
  comma: (n) => `(${Array(n).fill('a').join(', ')})`,
  properties: (n) => `a${'.b'.repeat(n)}`,
  elements: (n) => `a${'[0]'.repeat(n)}`,
  methods: (n) => `a${'.f()'.repeat(n)}`,
  optional: (n) => `a${'?.b'.repeat(n)}`,
  casts: (n) => `a${' as any'.repeat(n)}`,
};
/** Shapes the parser itself recurses on. */
const NESTED: Record<string, (n: number) => string> = {
  parens: (n) => `${'('.repeat(n)}a${')'.repeat(n)}`,
  arrays: (n) => `${'['.repeat(n)}a${']'.repeat(n)}`,
  objects: (n) => `${'{a:'.repeat(n)}a${'}'.repeat(n)}`,
  calls: (n) => `${'f('.repeat(n)}a${')'.repeat(n)}`,
  arrows: (n) => `${'() => '.repeat(n)}a`,
  ternaries: (n) => `${'a ? 1 : '.repeat(n)}2`,
  templates: (n) => `${'`${'.repeat(n)}a${'}`'.repeat(n)}`,
  negations: (n) => `${'!'.repeat(n)}a`,
};
const STATEMENTS: Record<string, (n: number) => string> = {
  'else-if': (n) => `${Array.from({ length: n }, (_, i) => `if (a === ${i}) return ${i};\n  else `).join('')}return 0;`,
  blocks: (n) => `${'{'.repeat(n)}a();${'}'.repeat(n)}`,
  loops: (n) => `${'for (const b of a) '.repeat(n)}a();`,
};

/** A module with an N+1 query (so a linted file shows it was walked) and `body` after it. */
function module(body: string): string {
  return [
    "import { prisma } from './db';",
    'export async function summaries(a: any, f: any) {',
    '  for (const order of await prisma.order.findMany({ take: 50 })) {',
    '    await prisma.customer.findUnique({ where: { id: order.customerId } });',
    '  }',
    `  ${body}`,
    '}',
    '',
  ].join('\n');
}
const returning = (expression: string) => module(`return ${expression};`);

describe('code nested too deeply to walk', () => {
  it('reports every shape 20,000 levels deep as a parse error and checks the rest, a migration class included', async () => {
    const n = 20_000;
    const files: Record<string, string> = {};
    for (const [name, make] of Object.entries({ ...CHAINS, ...NESTED })) files[`src/${name}.ts`] = returning(make(n));
    for (const [name, make] of Object.entries(STATEMENTS)) files[`src/${name}.ts`] = module(make(n));
    // A TypeORM migration class that branches on the engine is parsed by the SQL input too (ts-migration-branches.ts).
    files['package.json'] = JSON.stringify({ name: 'deep', dependencies: { typeorm: '0.3.0', pg: '8.0.0' } });
    files['src/migrations/1700000000000-Init.ts'] = [
      "import { MigrationInterface, QueryRunner } from 'typeorm';",
      'export class Init1700000000000 implements MigrationInterface {',
      '  public async up(queryRunner: QueryRunner): Promise<void> {',
      "    if (queryRunner.connection.options.type === 'postgres') {",
      '      await queryRunner.query(`CREATE TABLE a (id int PRIMARY KEY)`);',
      '      await queryRunner.query(`CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a (id))`);',
      '    }',
      `    const deep = ${CHAINS.plus!(n)};`,
      '  }',
      '  public async down(queryRunner: QueryRunner): Promise<void> {}',
      '}',
      '',
    ].join('\n');
    const dir = tree(files);
    const { result } = await lint({ cwd: dir, paths: ['.'], loaded: { config: {}, baseDir: dir }, rules });
    const shown = result.findings
      .filter((f) => ['core/parse-error', 'core/internal-error', 'db/indexed-foreign-keys'].includes(f.ruleId))
      .map((f) => `${f.file}:${f.line}:${f.column} ${f.ruleId} ${f.message}`);
    const deep = `core/parse-error Code nested more than ${MAX_SYNTAX_DEPTH} levels deep here: the file is not parsed, so no rule checks its code`;
    const parser =
      'core/parse-error Nested too deeply for the TypeScript parser: the file is not parsed, so no rule checks its code';
    expect(shown).toEqual([
      // Chains: at the first node the walk found past the limit (the file is measured from its last node back).
      `src/and.ts:6:96525 ${deep}`,
      `src/arrays.ts:1:1 ${parser}`,
      `src/arrows.ts:1:1 ${parser}`,
      `src/blocks.ts:1:1 ${parser}`,
      `src/calls.ts:1:1 ${parser}`,
      `src/casts.ts:6:135136 ${deep}`,
      `src/comma.ts:6:57923 ${deep}`,
      `src/elements.ts:6:57921 ${deep}`,
      `src/else-if.ts:1:1 ${parser}`,
      `src/loops.ts:1:1 ${parser}`,
      // A method chain nests from its start: `a` is the deepest node, and the first past the limit.
      `src/methods.ts:6:10 ${deep}`,
      // The migration's SQL is still read; only which engine each query is for is not known.
      'src/migrations/1700000000000-Init.ts:6:77 db/indexed-foreign-keys Foreign key b(a_id) → a(id) has no index whose leading columns are (a_id)',
      `src/migrations/1700000000000-Init.ts:8:77242 ${deep}`,
      `src/negations.ts:1:1 ${parser}`,
      `src/nullish.ts:6:96525 ${deep}`,
      `src/objects.ts:1:1 ${parser}`,
      `src/optional.ts:6:57922 ${deep}`,
      `src/parens.ts:1:1 ${parser}`,
      `src/plus.ts:6:77222 ${deep}`,
      `src/properties.ts:6:38618 ${deep}`,
      `src/templates.ts:1:1 ${parser}`,
      `src/ternaries.ts:1:1 ${parser}`,
    ]);
  });
});

describe('code nested just within the limit', () => {
  const ts = loadTypeScript();
  const depthOf = (text: string): number => {
    const tree = ts.createSourceFile('x.ts', text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    let low = 0;
    let high = 100_000;
    while (low < high) {
      const mid = Math.floor((low + high) / 2);
      if (checkDepth(tree, ts, mid).ok) high = mid;
      else low = mid + 1;
    }
    return low;
  };
  /** The largest `n` whose module is at most `depth` deep. */
  const largest = (make: (n: number) => string, depth: number): number => {
    let n = 1;
    while (depthOf(returning(make(n * 2))) <= depth) n *= 2;
    let low = n;
    let high = n * 2;
    while (high - low > 1) {
      const mid = Math.floor((low + high) / 2);
      if (depthOf(returning(make(mid))) <= depth) low = mid;
      else high = mid;
    }
    return low;
  };

  it('lints each chain at the limit with half of the stack, and reports it one term longer', () => {
    const files: Record<string, string> = {};
    for (const [name, make] of Object.entries(CHAINS)) {
      const n = largest(make, MAX_SYNTAX_DEPTH);
      files[`src/${name}.ts`] = returning(make(n));
      files[`src/${name}-deeper.ts`] = returning(make(n + 1));
    }
    const dir = tree(files);
    // Node's default stack is 984 KB on 64-bit platforms: half of it.
    const child = spawnSync(process.execPath, ['--stack-size=492', BIN, '-f', 'json', '--fail-on', 'never', '.'], {
      cwd: dir,
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    expect(child.stderr).toBe('');
    const findings = (JSON.parse(child.stdout) as { findings: Array<{ ruleId: string; file: string; line: number }> })
      .findings;
    const names = Object.keys(CHAINS).sort();
    expect(
      findings
        .filter((f) => f.ruleId.startsWith('core/') || f.ruleId === 'perf/no-n-plus-one')
        .map((f) => `${f.file}:${f.line} ${f.ruleId}`)
        .sort(),
    ).toEqual(
      names
        .flatMap((name) => [
          `src/${name}-deeper.ts:6 core/parse-error`,
          `src/${name}-deeper.ts:4 perf/no-n-plus-one`,
          `src/${name}.ts:4 perf/no-n-plus-one`,
        ])
        .filter((line) => !/-deeper\.ts:4 /.test(line))
        .sort(),
    );
  });
});
