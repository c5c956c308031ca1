/**
 * The layers of design.md, checked on the import statements of every source file: rules see only
 * rule-api (and their own helpers); rule-api and the models never reach into inputs, the engine or
 * the CLI; inputs never import the engine, the CLI or the reporters (they report through their
 * environment); no module imports itself back through others, type-only imports included; and no
 * module of src/inputs grows past 500 lines.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const IMPORT = /^\s*(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
const DYNAMIC_IMPORT = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(entry.name) && !/\.d\.ts$/.test(entry.name) ? [path] : [];
  });
}

/** Root-relative paths of the project files a file imports (packages and node: builtins left out). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const specifiers = [...text.matchAll(IMPORT), ...text.matchAll(DYNAMIC_IMPORT)].map((match) => match[1]!);
  return specifiers
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => relative(root, resolve(root, dirname(file), specifier)).replace(/\.js$/, '.ts'));
}

const files = [...sourceFiles('src'), ...sourceFiles('rules')];
const graph = new Map(files.map((file) => [file, importsOf(file)]));

function offenders(from: (file: string) => boolean, to: (target: string) => boolean): string[] {
  return [...graph].flatMap(([file, targets]) =>
    from(file) ? targets.filter(to).map((target) => `${file} → ${target}`) : [],
  );
}

describe('layering', () => {
  it('reads the imports of every source file', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(graph.get('src/rule-api.ts')).toContain('src/model/http.ts');
  });

  it('rules import only src/rule-api.ts and rule helpers', () => {
    expect(
      offenders(
        (f) => f.startsWith('rules/'),
        (t) => !t.startsWith('rules/') && t !== 'src/rule-api.ts',
      ),
    ).toEqual([]);
  });

  it('rule-api and the models never import inputs, the engine, the CLI or the reporters', () => {
    const isApi = (f: string) => f === 'src/rule-api.ts' || f.startsWith('src/model/');
    const isOuter = (t: string) => /^src\/(?:inputs|engine|cli|reporters)\//.test(t);
    expect(offenders(isApi, isOuter)).toEqual([]);
  });

  it('inputs never import the engine, the CLI or the reporters', () => {
    expect(
      offenders(
        (f) => f.startsWith('src/inputs/'),
        (t) => /^src\/(?:engine|cli|reporters)\//.test(t),
      ),
    ).toEqual([]);
  });

  it('has no import cycles', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (file: string): void => {
      state.set(file, 'open');
      stack.push(file);
      for (const target of graph.get(file) ?? []) {
        if (!graph.has(target)) continue;
        if (state.get(target) === 'open') cycles.push([...stack.slice(stack.indexOf(target)), target].join(' → '));
        else if (!state.has(target)) visit(target);
      }
      stack.pop();
      state.set(file, 'done');
    };
    for (const file of files) if (!state.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });

  it('keeps every module of src/inputs within 500 lines (one concern per module, design.md)', () => {
    const long = files
      .filter((file) => file.startsWith('src/inputs/'))
      .flatMap((file) => {
        const lines = readFileSync(join(root, file), 'utf8').split('\n').length - 1;
        return lines > 500 ? [`${file}: ${lines} lines`] : [];
      });
    expect(long).toEqual([]);
  });

  it('compares dialect names only in the dialect records, framework names only in the framework adapters', () => {
    // Readers, the fold and rules ask a record what its engine does (src/model/dialects.ts); the splitter's
    // `style` is a record's value, not a dialect's name.
    const dialectName =
      /[!=]==\s*'(?:postgres|postgresql|mysql|mariadb|sqlite)'|'(?:postgres|postgresql|mysql|mariadb|sqlite)'\s*[!=]==/;
    const frameworkName = /\bframework\s*[!=]==/;
    const hits = (pattern: RegExp, allowed: (file: string) => boolean) =>
      files
        .filter((file) => !allowed(file))
        .flatMap((file) =>
          readFileSync(join(root, file), 'utf8')
            .split('\n')
            .flatMap((line, i) => (pattern.test(line) ? [`${file}:${i + 1}`] : [])),
        );
    // knex-types.ts is knex's own table of the SQL type each of its column builders writes per client.
    const allowed = new Set([
      'src/model/dialects.ts',
      'src/inputs/sql/split.ts',
      'src/inputs/sql/schema-files/knex-types.ts',
    ]);
    expect(hits(dialectName, (f) => allowed.has(f))).toEqual([]);
    expect(hits(frameworkName, (f) => f.startsWith('src/inputs/routes/frameworks/'))).toEqual([]);
  });
});
