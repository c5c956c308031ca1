import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { afterEach, describe, expect, it } from 'vitest';
import {
  configSchema,
  findConfig,
  initConfig,
  loadConfig,
  parseSize,
  renderInitTemplate,
  renderSchemaFile,
  resolveRuleSettings,
  suggest,
} from '../src/config/index.js';
import { UsageError } from '../src/errors.js';
import type { ArchlintConfig, LoadedConfig } from '../src/model/config.js';
import type { SeveritySetting } from '../src/model/finding.js';

const RULE_IDS = [
  'api/paginated-lists',
  'api/versioned-routes',
  'ops/health-endpoints',
  'api/structured-errors',
  'db/indexed-foreign-keys',
  'security/no-hardcoded-secrets',
  'core/parse-error',
  'core/internal-error',
  'core/unused-suppression',
];

const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'archlint-config-'));
  temps.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Writes files (creating folders) under dir. */
function write(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
}

const load = (cwd: string, configPath?: string) => loadConfig({ cwd, configPath, knownRuleIds: RULE_IDS });

/** The UsageError message loadConfig rejects with. */
async function loadError(cwd: string, configPath?: string): Promise<string> {
  const error: unknown = await load(cwd, configPath).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UsageError);
  return (error as UsageError).message;
}

/** The UsageError message a synchronous call throws. */
function usageError(call: () => unknown): string {
  let error: unknown;
  try {
    call();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(UsageError);
  return (error as UsageError).message;
}

describe('findConfig', () => {
  it('looks for json, yaml, yml, then package.json with an "archlint" key, in that order', () => {
    const dir = tempDir();
    write(dir, {
      'archlint.config.json': '{}',
      'archlint.config.yaml': '',
      'archlint.config.yml': '',
      'package.json': '{"archlint": {}}',
    });
    expect(findConfig(dir)).toBe(path.join(dir, 'archlint.config.json'));
    rmSync(path.join(dir, 'archlint.config.json'));
    expect(findConfig(dir)).toBe(path.join(dir, 'archlint.config.yaml'));
    rmSync(path.join(dir, 'archlint.config.yaml'));
    expect(findConfig(dir)).toBe(path.join(dir, 'archlint.config.yml'));
    rmSync(path.join(dir, 'archlint.config.yml'));
    expect(findConfig(dir)).toBe(path.join(dir, 'package.json'));
  });

  it('walks up to the nearest folder that has one', () => {
    const root = tempDir();
    write(root, { 'archlint.config.json': '{}', 'a/b/c/.keep': '' });
    expect(findConfig(path.join(root, 'a/b/c'))).toBe(path.join(root, 'archlint.config.json'));
    write(root, { 'a/archlint.config.yml': '' });
    expect(findConfig(path.join(root, 'a/b/c'))).toBe(path.join(root, 'a/archlint.config.yml'));
  });

  it('skips a package.json without the key (or unparsable) and keeps searching', () => {
    const root = tempDir();
    write(root, { 'archlint.config.yaml': '', 'pkg/package.json': '{"name": "pkg"}', 'broken/package.json': '{' });
    expect(findConfig(path.join(root, 'pkg'))).toBe(path.join(root, 'archlint.config.yaml'));
    expect(findConfig(path.join(root, 'broken'))).toBe(path.join(root, 'archlint.config.yaml'));
    write(root, { 'pkg/package.json': '{"name": "pkg", "archlint": {"ignore": ["dist/"]}}' });
    expect(findConfig(path.join(root, 'pkg'))).toBe(path.join(root, 'pkg/package.json'));
  });

  it("stops at the repository's top level: a parent folder's config does not apply inside a git repository", () => {
    const root = tempDir();
    write(root, {
      'package.json': '{"archlint": {"rules": {"api/paginated-lists": "off"}}}',
      'repo/.git/HEAD': 'ref: refs/heads/main\n',
      'repo/src/.keep': '',
    });
    expect(findConfig(path.join(root, 'repo/src'))).toBeUndefined();
    // A worktree or submodule has a .git file, not a folder: the same boundary.
    write(root, { 'wt/.git': 'gitdir: ../repo/.git/worktrees/wt\n', 'wt/src/.keep': '' });
    expect(findConfig(path.join(root, 'wt/src'))).toBeUndefined();
    // Outside git the search still climbs to the filesystem root.
    write(root, { 'plain/src/.keep': '' });
    expect(findConfig(path.join(root, 'plain/src'))).toBe(path.join(root, 'package.json'));
  });

  it('refuses a config found by the search that links to a file outside the repository, and follows links inside it', () => {
    const root = tempDir();
    write(root, {
      'outside/secret.yaml': 'token: not-for-archlint\n',
      'repo/.git/HEAD': '',
      'repo/config/base.yaml': '',
    });
    symlinkSync(path.join(root, 'outside/secret.yaml'), path.join(root, 'repo/archlint.config.yaml'));
    expect(usageError(() => findConfig(path.join(root, 'repo')))).toMatch(
      /archlint\.config\.yaml is a link to a file outside .*repo; refused/,
    );
    rmSync(path.join(root, 'repo/archlint.config.yaml'));
    symlinkSync(path.join(root, 'repo/config/base.yaml'), path.join(root, 'repo/archlint.config.yaml'));
    expect(findConfig(path.join(root, 'repo'))).toBe(path.join(root, 'repo/archlint.config.yaml'));
  });
});

describe('loadConfig', () => {
  it('loads YAML and sets baseDir to the config folder', async () => {
    const root = tempDir();
    write(root, {
      'archlint.config.yaml':
        'rules:\n  api/paginated-lists: error\nignore: [dist/]\nmaxFileSize: 512KB\nsql:\n  dialect: mysql\n',
      'sub/.keep': '',
    });
    const loaded = await load(path.join(root, 'sub'));
    expect(loaded).toEqual({
      config: {
        rules: { 'api/paginated-lists': 'error' },
        ignore: ['dist/'],
        maxFileSize: '512KB',
        sql: { dialect: 'mysql' },
      },
      file: path.join(root, 'archlint.config.yaml'),
      baseDir: root,
    });
  });

  it('reads the "archlint" key of package.json', async () => {
    const dir = tempDir();
    write(dir, { 'package.json': '{"name": "x", "archlint": {"rules": {"db/indexed-foreign-keys": "off"}}}' });
    expect(await load(dir)).toEqual({
      config: { rules: { 'db/indexed-foreign-keys': 'off' } },
      file: path.join(dir, 'package.json'),
      baseDir: dir,
    });
  });

  it('returns an empty config with baseDir = cwd when there is no file', async () => {
    const dir = tempDir();
    expect(await load(dir)).toEqual({ config: {}, baseDir: dir });
  });

  it('treats an empty file (or comments only) as an empty config', async () => {
    const dir = tempDir();
    write(dir, { 'archlint.config.json': '', 'archlint.config.yaml': '# nothing yet\n' });
    expect((await load(dir)).config).toEqual({});
    expect((await load(dir, 'archlint.config.yaml')).config).toEqual({});
  });

  it('drops empty YAML sections (all entries commented out)', async () => {
    const dir = tempDir();
    write(dir, { 'archlint.config.yaml': 'rules:\n  # api/paginated-lists: off\nignore:\nsql:\n  dialect:\n' });
    expect((await load(dir)).config).toEqual({ sql: {} });
  });

  it('resolves an explicit --config against cwd, and reports a missing one', async () => {
    const dir = tempDir();
    write(dir, { 'conf/custom.yml': 'ignore: [x]\n' });
    const loaded = await load(dir, 'conf/custom.yml');
    expect(loaded.file).toBe(path.join(dir, 'conf/custom.yml'));
    expect(loaded.baseDir).toBe(path.join(dir, 'conf'));
    expect(await loadError(dir, 'nope.json')).toBe('config file not found: nope.json');
  });

  it('reports invalid JSON on one line with the position', async () => {
    const dir = tempDir();
    write(dir, { 'archlint.config.json': '{\n  "rules": {\n    "api/paginated-lists": }\n}\n' });
    expect(await loadError(dir)).toBe("archlint.config.json:3:28: invalid JSON: Unexpected token '}'");
    write(dir, { 'archlint.config.json': '{\n  "ignore": [],\n}' });
    expect(await loadError(dir)).toBe('archlint.config.json:3:1: invalid JSON: Expected double-quoted property name');
  });

  it('reports invalid YAML on one line with the position', async () => {
    const dir = tempDir();
    write(dir, { 'archlint.config.yaml': 'rules:\n  api/paginated-lists: error\n ignore: []\n' });
    expect(await loadError(dir)).toBe(
      'archlint.config.yaml:3:1: invalid YAML: All mapping items must start at the same column',
    );
  });

  it('refuses YAML alias bombs', async () => {
    const dir = tempDir();
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (const [name, prev] of [
      ['b', 'a'],
      ['c', 'b'],
      ['d', 'c'],
    ]) {
      bomb.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(', ')}]`);
    }
    write(dir, { 'archlint.config.yaml': `${bomb.join('\n')}\n` });
    expect(await loadError(dir)).toMatch(/^archlint\.config\.yaml:1:1: invalid YAML: Excessive alias count/);
  });

  it('does not run YAML tags as code', async () => {
    const dir = tempDir();
    write(dir, { 'archlint.config.yaml': 'rules:\n  api/paginated-lists: !!js/function "function () {}"\n' });
    expect(await loadError(dir)).toBe(
      'archlint.config.yaml: /rules/api~1paginated-lists must be one of off, note, warning, error',
    );
  });

  it('rejects unknown keys, naming the file and the JSON path', async () => {
    const dir = tempDir();
    write(dir, { 'archlint.config.json': '{"rulez": {}}' });
    expect(await loadError(dir)).toBe('archlint.config.json: unknown key "rulez" at / (did you mean "rules"?)');
    write(dir, { 'archlint.config.json': '{"sql": {"dialekt": "mysql"}}' });
    expect(await loadError(dir)).toBe('archlint.config.json: unknown key "dialekt" at /sql (did you mean "dialect"?)');
    write(dir, { 'archlint.config.json': '{"openapi": {"service": ["api/openapi.yaml"]}}' });
    expect(await loadError(dir)).toBe(
      'archlint.config.json: unknown key "service" at /openapi (did you mean "services"?)',
    );
    write(dir, { 'archlint.config.json': '{"overrides": [{"files": ["a"], "rules": {}, "severity": "x"}]}' });
    expect(await loadError(dir)).toBe('archlint.config.json: unknown key "severity" at /overrides/0');
  });

  it('rejects bad values with the JSON path', async () => {
    const dir = tempDir();
    const cases: Array<[string, string]> = [
      [
        '{"rules": {"api/paginated-lists": "warn"}}',
        '/rules/api~1paginated-lists must be one of off, note, warning, error',
      ],
      [
        '{"rules": {"api/paginated-lists": ["warn", {}]}}',
        '/rules/api~1paginated-lists/0 must be one of off, note, warning, error',
      ],
      ['{"rules": {"api/paginated-lists": ["warning", 1]}}', '/rules/api~1paginated-lists/1 must be an object'],
      [
        '{"rules": {"api/paginated-lists": ["warning"]}}',
        '/rules/api~1paginated-lists must be one of off, note, warning, error or [severity, {options}]',
      ],
      ['{"rules": []}', '/rules must be an object'],
      ['{"ignore": "dist"}', '/ignore must be an array'],
      ['{"overrides": [{"files": [], "rules": {}}]}', '/overrides/0/files must have at least 1 item'],
      ['{"overrides": [{"files": ["x"]}]}', '/overrides/0 is missing required key "rules"'],
      ['{"maxFileSize": "ten megs"}', '/maxFileSize must be a number of bytes or a size like "512KB", "10MB", "1GB"'],
      ['{"sql": {"dialect": "oracle"}}', '/sql/dialect must be one of postgres, mysql, mariadb, sqlite'],
      ['[]', '/ must be an object'],
    ];
    for (const [text, message] of cases) {
      write(dir, { 'archlint.config.json': text });
      expect(await loadError(dir)).toBe(`archlint.config.json: ${message}`);
    }
  });

  it('rejects unknown rule ids with a suggestion, in rules and in overrides', async () => {
    const dir = tempDir();
    write(dir, { 'archlint.config.json': '{"rules": {"api/paginated-list": "warning"}}' });
    expect(await loadError(dir)).toBe(
      'archlint.config.json: unknown rule id "api/paginated-list" in rules (did you mean "api/paginated-lists"?)',
    );
    write(dir, {
      'archlint.config.json':
        '{"overrides": [{"files": ["a"], "rules": {}}, {"files": ["b"], "rules": {"health-endpoints": "off"}}]}',
    });
    expect(await loadError(dir)).toBe(
      'archlint.config.json: unknown rule id "health-endpoints" in overrides[1].rules (did you mean "ops/health-endpoints"?)',
    );
    write(dir, { 'archlint.config.json': '{"rules": {"nothing/like-it": "off"}}' });
    expect(await loadError(dir)).toBe('archlint.config.json: unknown rule id "nothing/like-it" in rules');
  });

  it('names the "archlint" key in package.json errors and shows paths relative to cwd', async () => {
    const root = tempDir();
    write(root, { 'package.json': '{"archlint": {"rules": {"api/versioned-route": "off"}}}', 'svc/.keep': '' });
    expect(await loadError(path.join(root, 'svc'))).toBe(
      '../package.json: unknown rule id "api/versioned-route" in archlint.rules (did you mean "api/versioned-routes"?)',
    );
    write(root, { 'package.json': '{"archlint": {"ignores": []}}' });
    expect(await loadError(root)).toBe('package.json: unknown key "ignores" at /archlint (did you mean "ignore"?)');
  });
});

describe('parseSize', () => {
  it('reads bytes and sizes with units', () => {
    expect(parseSize(0)).toBe(0);
    expect(parseSize(1234)).toBe(1234);
    expect(parseSize('2048')).toBe(2048);
    expect(parseSize('100B')).toBe(100);
    expect(parseSize('512KB')).toBe(512 * 1024);
    expect(parseSize('10MB')).toBe(10 * 1024 * 1024);
    expect(parseSize('10mb')).toBe(10 * 1024 * 1024);
    expect(parseSize(' 1.5 MB ')).toBe(1.5 * 1024 * 1024);
    expect(parseSize('1GB')).toBe(1024 ** 3);
  });

  it('throws UsageError on garbage', () => {
    for (const bad of ['', 'MB', '10 parsecs', '-1KB', '1TB', '1e3', '0x10']) {
      expect(() => parseSize(bad), bad).toThrow(UsageError);
    }
    expect(() => parseSize(-1)).toThrow(UsageError);
    expect(() => parseSize(Number.NaN)).toThrow(UsageError);
    expect(() => parseSize('lots')).toThrow(
      'invalid size "lots": use a number of bytes or a size like "512KB", "10MB", "1GB"',
    );
  });
});

describe('suggest', () => {
  it('finds the closest id, the full id of a bare name, or nothing', () => {
    expect(suggest('api/paginated-list', RULE_IDS)).toBe('api/paginated-lists');
    expect(suggest('API/Versioned-Routes', RULE_IDS)).toBe('api/versioned-routes');
    expect(suggest('indexed-foreign-keys', RULE_IDS)).toBe('db/indexed-foreign-keys');
    expect(suggest('security/no-hardcoded-secret', RULE_IDS)).toBe('security/no-hardcoded-secrets');
    expect(suggest('xyz', RULE_IDS)).toBeUndefined();
    expect(suggest('api/paginated-lists', RULE_IDS)).toBeUndefined();
    expect(suggest('', RULE_IDS)).toBeUndefined();
  });
});

describe('resolveRuleSettings', () => {
  const defaults = new Map<string, SeveritySetting>([
    ['api/paginated-lists', 'warning'],
    ['api/versioned-routes', 'warning'],
    ['security/no-hardcoded-secrets', 'error'],
    ['db/indexed-foreign-keys', 'warning'],
    ['api/structured-errors', 'off'],
  ]);
  const settings = (
    config: ArchlintConfig,
    options: { cwd?: string; baseDir?: string; cliRules?: Record<string, SeveritySetting> } = {},
  ) => {
    const loaded: LoadedConfig = { config, file: '/repo/archlint.config.json', baseDir: options.baseDir ?? '/repo' };
    return resolveRuleSettings({ defaults, loaded, cwd: options.cwd ?? '/repo', cliRules: options.cliRules });
  };

  it('uses defaults, then rules', () => {
    const s = settings({
      rules: { 'api/paginated-lists': 'error', 'db/indexed-foreign-keys': ['note', { concurrently: false }] },
    });
    expect(s.severityFor('api/paginated-lists', 'src/a.ts')).toBe('error');
    expect(s.severityFor('api/versioned-routes', 'src/a.ts')).toBe('warning');
    expect(s.severityFor('db/indexed-foreign-keys', 'db/1.sql')).toBe('note');
    expect(s.severityFor('not/a-rule', 'src/a.ts')).toBe('off');
  });

  it('applies overrides in order (later wins), with basename and nested globs', () => {
    const s = settings({
      rules: { 'security/no-hardcoded-secrets': 'error' },
      overrides: [
        { files: ['tests'], rules: { 'security/no-hardcoded-secrets': 'note', 'api/paginated-lists': 'off' } },
        { files: ['*.fixture.ts'], rules: { 'security/no-hardcoded-secrets': 'off' } },
        { files: ['services/*/legacy/**'], rules: { 'api/versioned-routes': 'off' } },
        { files: ['tests/keep/**'], rules: { 'security/no-hardcoded-secrets': 'warning' } },
        { files: ['**/*.ts', '!**/*.js.ts'], rules: { 'api/paginated-lists': 'error' } },
        { files: ['', '!', '/'], rules: { 'api/paginated-lists': 'note' } },
      ],
    });
    // "tests" (no '/') matches a folder of that name at any depth, and everything below it.
    expect(s.severityFor('security/no-hardcoded-secrets', 'tests/a.yaml')).toBe('note');
    expect(s.severityFor('security/no-hardcoded-secrets', 'packages/api/tests/deep/a.yaml')).toBe('note');
    expect(s.severityFor('security/no-hardcoded-secrets', 'src/contests.yaml')).toBe('error');
    // "*.fixture.ts" matches the basename at any depth; it comes after "tests", so it wins.
    expect(s.severityFor('security/no-hardcoded-secrets', 'tests/user.fixture.ts')).toBe('off');
    expect(s.severityFor('security/no-hardcoded-secrets', 'src/x/user.fixture.ts')).toBe('off');
    // A glob with '/' is anchored at the config folder.
    expect(s.severityFor('api/versioned-routes', 'services/billing/legacy/routes.ts')).toBe('off');
    expect(s.severityFor('api/versioned-routes', 'x/services/billing/legacy/routes.ts')).toBe('warning');
    expect(s.severityFor('security/no-hardcoded-secrets', 'tests/keep/a.yaml')).toBe('warning');
    // Later override turns api/paginated-lists back on for .ts files, except the negated ones.
    expect(s.severityFor('api/paginated-lists', 'tests/a.ts')).toBe('error');
    expect(s.severityFor('api/paginated-lists', 'tests/a.js.ts')).toBe('off');
    expect(s.severityFor('api/paginated-lists', 'tests/a.yaml')).toBe('off');
    // Dot files are matched too.
    expect(s.severityFor('security/no-hardcoded-secrets', '.tests/a.yaml')).toBe('error');
    expect(s.severityFor('api/paginated-lists', 'src/.hidden/a.ts')).toBe('error');
  });

  it('matches override globs relative to the config folder, not cwd', () => {
    const s = settings(
      { overrides: [{ files: ['api/**'], rules: { 'api/paginated-lists': 'off' } }] },
      { cwd: '/repo/services', baseDir: '/repo/services' },
    );
    expect(s.severityFor('api/paginated-lists', 'api/a.ts')).toBe('off');
    const fromParent = settings(
      { overrides: [{ files: ['api/**'], rules: { 'api/paginated-lists': 'off' } }] },
      { cwd: '/repo', baseDir: '/repo/services' },
    );
    expect(fromParent.severityFor('api/paginated-lists', 'services/api/a.ts')).toBe('off');
    expect(fromParent.severityFor('api/paginated-lists', 'api/a.ts')).toBe('warning');
  });

  it('lets CLI --rule win over rules and overrides, everywhere', () => {
    const s = settings(
      {
        rules: { 'api/paginated-lists': 'off' },
        overrides: [{ files: ['src'], rules: { 'api/paginated-lists': 'error', 'db/indexed-foreign-keys': 'error' } }],
      },
      { cliRules: { 'api/paginated-lists': 'note', 'db/indexed-foreign-keys': 'off' } },
    );
    expect(s.severityFor('api/paginated-lists', 'src/a.ts')).toBe('note');
    expect(s.severityFor('api/paginated-lists', 'b.ts')).toBe('note');
    expect(s.severityFor('db/indexed-foreign-keys', 'src/a.sql')).toBe('off');
    expect(s.isEnabled('api/paginated-lists')).toBe(true);
    expect(s.isEnabled('db/indexed-foreign-keys')).toBe(false);
  });

  it('isEnabled: on by default or rules, or when only an override turns it on', () => {
    const s = settings({
      rules: { 'api/versioned-routes': 'off', 'security/no-hardcoded-secrets': 'off' },
      overrides: [{ files: ['api'], rules: { 'api/structured-errors': 'warning', 'api/versioned-routes': 'off' } }],
    });
    expect(s.isEnabled('api/paginated-lists')).toBe(true);
    expect(s.isEnabled('api/structured-errors')).toBe(true);
    expect(s.severityFor('api/structured-errors', 'src/a.ts')).toBe('off');
    expect(s.severityFor('api/structured-errors', 'api/a.ts')).toBe('warning');
    expect(s.isEnabled('api/versioned-routes')).toBe(false);
    expect(s.isEnabled('security/no-hardcoded-secrets')).toBe(false);
    expect(s.isEnabled('not/a-rule')).toBe(false);
  });

  it('returns options from the tuple form, merged with matching overrides when a file is given', () => {
    const s = settings({
      rules: { 'api/paginated-lists': ['warning', { params: ['page'], max: 100 }], 'api/versioned-routes': 'error' },
      overrides: [
        { files: ['internal'], rules: { 'api/paginated-lists': ['note', { max: 500 }] } },
        { files: ['*.ts'], rules: { 'api/paginated-lists': 'error' } },
      ],
    });
    expect(s.options('api/paginated-lists')).toEqual({ params: ['page'], max: 100 });
    expect(s.options('api/versioned-routes')).toEqual({});
    expect(s.options('db/indexed-foreign-keys')).toEqual({});
    expect(s.options('api/paginated-lists', 'internal/a.ts')).toEqual({ params: ['page'], max: 500 });
    expect(s.severityFor('api/paginated-lists', 'internal/a.ts')).toBe('error');
    expect(s.severityFor('api/paginated-lists', 'internal/a.yaml')).toBe('note');
  });
});

describe('initConfig', () => {
  it('writes a commented archlint.config.yaml that loads cleanly', async () => {
    const dir = tempDir();
    const file = initConfig(dir, {});
    expect(file).toBe(path.join(dir, 'archlint.config.yaml'));
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./node_modules/archlint/archlint.schema.json');
    for (const id of RULE_IDS.filter((rule) => !rule.startsWith('core/')))
      expect(text).toMatch(new RegExp(`# ${id}: `));
    expect(text).toContain('# api/paginated-lists: warning');
    expect(text).toContain('# security/no-hardcoded-secrets: error');
    expect(await load(dir)).toEqual({ config: {}, file, baseDir: dir });
  });

  it('has examples that are valid config once uncommented', async () => {
    const dir = tempDir();
    write(dir, { 'archlint.config.yaml': renderInitTemplate({ examples: true }) });
    const { config } = await load(dir);
    expect(Object.keys(config.rules ?? {})).toHaveLength(6);
    expect(config.ignore?.length).toBeGreaterThan(0);
    expect(config.overrides?.[0]?.files.length).toBeGreaterThan(0);
    expect(config.sql?.dialect).toBe('postgres');
    expect(parseSize(config.maxFileSize!)).toBe(10 * 1024 * 1024);
    // Deleting the first "# " of a commented example line gives the example, nesting included.
    const commented = renderInitTemplate().split('\n');
    const examples = renderInitTemplate({ examples: true }).split('\n');
    expect(commented).toHaveLength(examples.length);
    commented.forEach((line, i) => {
      if (line !== examples[i]) expect(line.replace('# ', '')).toBe(examples[i]);
    });
  });

  it('refuses to overwrite unless forced', () => {
    const dir = tempDir();
    write(dir, { 'archlint.config.yaml': 'ignore: [mine]\n' });
    expect(() => initConfig(dir, {})).toThrow(
      new UsageError('archlint.config.yaml already exists (use --force to overwrite)'),
    );
    expect(readFileSync(path.join(dir, 'archlint.config.yaml'), 'utf8')).toBe('ignore: [mine]\n');
    initConfig(dir, { force: true });
    expect(readFileSync(path.join(dir, 'archlint.config.yaml'), 'utf8')).toBe(renderInitTemplate());
  });
});

describe('JSON Schema', () => {
  const editorSchema = configSchema(RULE_IDS);
  const validate = new Ajv({ strict: true }).compile(editorSchema);
  const full: unknown = {
    $schema: './node_modules/archlint/archlint.schema.json',
    rules: {
      'api/paginated-lists': 'warning',
      'api/versioned-routes': 'off',
      'db/indexed-foreign-keys': ['error', { concurrently: true }],
      'core/parse-error': 'note',
    },
    ignore: ['dist/', '**/*.min.js'],
    overrides: [{ files: ['tests'], rules: { 'security/no-hardcoded-secrets': ['note', {}] } }],
    maxFileSize: '10MB',
    sql: { dialect: 'postgres', migrations: ['db/*.sql'] },
  };

  it('accepts a full valid config (and null sections, as YAML writes them)', () => {
    expect(validate(full), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({})).toBe(true);
    expect(validate({ maxFileSize: 1024 })).toBe(true);
    expect(validate({ rules: null, ignore: null, overrides: null, sql: { dialect: null } })).toBe(true);
  });

  it('rejects invalid configs', () => {
    const invalid: unknown[] = [
      { rulez: {} },
      { rules: { 'api/paginated-lists': 'warn' } },
      { rules: { 'api/paginated-lists': ['warning'] } },
      { rules: { 'api/paginated-lists': ['warning', {}, 1] } },
      { rules: { 'api/paginated-list': 'warning' } }, // editors get the ids enumerated
      { ignore: 'dist' },
      { ignore: [1] },
      { overrides: [{ files: [], rules: {} }] },
      { overrides: [{ rules: {} }] },
      { overrides: [{ files: ['a'], rules: {}, extra: 1 }] },
      { maxFileSize: -1 },
      { maxFileSize: 1.5 },
      { maxFileSize: '10 parsecs' },
      { sql: { dialect: 'oracle' } },
      { sql: { migrations: 'db' } },
      { sql: { other: 1 } },
      [],
      'rules',
    ];
    for (const config of invalid) expect(validate(config), JSON.stringify(config)).toBe(false);
  });

  it('documents every property', () => {
    const missing: string[] = [];
    const visit = (schema: unknown, where: string) => {
      if (typeof schema !== 'object' || schema === null) return;
      const properties = (schema as { properties?: Record<string, unknown> }).properties ?? {};
      for (const [key, value] of Object.entries(properties)) {
        if (!(value as { description?: string }).description) missing.push(`${where}/${key}`);
        visit(value, `${where}/${key}`);
      }
      for (const value of Object.values(schema)) if (typeof value === 'object') visit(value, where);
    };
    visit(editorSchema, '');
    expect(missing).toEqual([]);
    expect(editorSchema.title).toBe('archlint configuration');
  });

  it('is committed at the repo root (core ids until the rules exist) as pretty JSON', () => {
    const committed = readFileSync(new URL('../archlint.schema.json', import.meta.url), 'utf8');
    const schema = JSON.parse(committed) as {
      properties: { rules: { anyOf: [{ propertyNames: { enum: string[] } }] } };
    };
    const ids = schema.properties.rules.anyOf[0].propertyNames.enum;
    expect(ids).toEqual(expect.arrayContaining(['core/parse-error', 'core/internal-error', 'core/unused-suppression']));
    expect(committed).toBe(renderSchemaFile(ids));
    expect(committed.endsWith('}\n')).toBe(true);
  });
});
