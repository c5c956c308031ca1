import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  classifyFile,
  DEFAULT_MAX_FILE_SIZE,
  DEFAULT_SKIPPED_DIRS,
  discover,
  type Prefetch,
} from '../src/discover/index.js';
import { UsageError } from '../src/errors.js';
import type { FileSet } from '../src/model/files.js';

const temps: string[] = [];

/** A fresh folder (by its real path, so roots compare equal on macOS too) holding `files`. */
function tree(files: Record<string, string | Uint8Array>): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'archlint-discover-')));
  temps.push(root);
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
  return root;
}

afterEach(() => {
  for (const dir of temps.splice(0)) {
    fs.chmodSync(dir, 0o755);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

const paths = (set: FileSet): string[] => set.files.map((f) => f.path);

describe('discover', () => {
  it('honours nested .gitignore files, negations, config ignores and the always-skipped folders', async () => {
    const root = tree({
      '.gitignore': '# build output\n*.log\nsecret/\n/local.txt\n',
      'app.log': 'x',
      'local.txt': 'x',
      'secret/a.txt': 'x',
      'src/.gitignore': '!keep.log\ngen/\n/only-here.md\n*.tmp\n',
      'src/keep.log': 'x',
      'src/only-here.md': '',
      'src/deep/only-here.md': '',
      'src/y.tmp': '',
      'only-here.md': '',
      'other/x.tmp': '',
      'src/other.log': 'x',
      'src/local.txt': 'anchored patterns only match in their own folder',
      'src/gen/x.ts': 'x',
      'src/index.ts': 'export {};\n',
      'node_modules/pkg/index.js': 'x',
      'dist/a.js': 'x',
      'build/b.js': 'x',
      'coverage/c.json': '{}',
      'vendor/v.go': 'x',
      '.git/config': 'x',
      '.github/workflows/ci.yml': 'on: push\n',
      '.env': 'TOKEN=x\n',
      'api/openapi.yaml': 'openapi: 3.1.0\n',
      'db/001_init.sql': 'create table t (id int);\n',
      'generated/out.ts': 'x',
      'README.md': '# demo\n',
    });
    const result = await discover([], { cwd: root, ignore: ['generated/'] });
    expect(result).toEqual({
      roots: [root],
      folderRoots: [root],
      skipped: [],
      files: [
        { path: '.env', absPath: path.join(root, '.env'), kind: 'text', size: 8 },
        {
          path: '.github/workflows/ci.yml',
          absPath: path.join(root, '.github/workflows/ci.yml'),
          kind: 'openapi-candidate',
          size: 9,
        },
        { path: '.gitignore', absPath: path.join(root, '.gitignore'), kind: 'text', size: 40 },
        { path: 'README.md', absPath: path.join(root, 'README.md'), kind: 'text', size: 7 },
        { path: 'api/openapi.yaml', absPath: path.join(root, 'api/openapi.yaml'), kind: 'openapi-candidate', size: 15 },
        { path: 'db/001_init.sql', absPath: path.join(root, 'db/001_init.sql'), kind: 'sql', size: 25 },
        { path: 'only-here.md', absPath: path.join(root, 'only-here.md'), kind: 'text', size: 0 },
        { path: 'other/x.tmp', absPath: path.join(root, 'other/x.tmp'), kind: 'text', size: 0 },
        { path: 'src/.gitignore', absPath: path.join(root, 'src/.gitignore'), kind: 'text', size: 35 },
        { path: 'src/deep/only-here.md', absPath: path.join(root, 'src/deep/only-here.md'), kind: 'text', size: 0 },
        { path: 'src/index.ts', absPath: path.join(root, 'src/index.ts'), kind: 'code', size: 11 },
        { path: 'src/keep.log', absPath: path.join(root, 'src/keep.log'), kind: 'text', size: 1 },
        { path: 'src/local.txt', absPath: path.join(root, 'src/local.txt'), kind: 'text', size: 48 },
      ],
    });
  });

  it('lets a deeper .gitignore re-include a folder a shallower one excluded, as git does', async () => {
    // `git status --ignored` on this tree lists exactly the four files expected below.
    const root = tree({
      '.gitignore': 'sub/x/\nsub/y/\n*.txt\n!keep.txt\n',
      'sub/.gitignore': '!x/\n',
      'sub/x/f.md': '',
      'sub/x/g.txt': '',
      'sub/x/keep.txt': '',
      'sub/y/h.md': '',
    });
    const result = await discover(['.'], { cwd: root });
    expect(paths(result)).toEqual(['.gitignore', 'sub/.gitignore', 'sub/x/f.md', 'sub/x/keep.txt']);
  });

  it('applies config patterns relative to ignoreBaseDir only', async () => {
    const root = tree({ 'a.txt': '', 'sub/a.txt': '', 'sub/deep/a.txt': '', 'sub/b.txt': '' });
    const result = await discover(['.'], {
      cwd: root,
      ignore: ['/a.txt', 'deep/'],
      ignoreBaseDir: path.join(root, 'sub'),
    });
    expect(paths(result)).toEqual(['a.txt', 'sub/b.txt']);
  });

  it('honours .git/info/exclude and the .gitignore files above a root inside a work tree', async () => {
    const root = tree({
      '.git/info/exclude': '*.tmp\n',
      '.gitignore': '.env\n',
      'services/api/.env': 'TOKEN=x\n',
      'services/api/scratch.tmp': '',
      'services/api/main.ts': '',
    });
    const result = await discover(['services/api'], { cwd: root });
    expect(paths(result)).toEqual(['services/api/main.ts']);
    expect(result.roots).toEqual([path.join(root, 'services/api')]);
  });

  it('walks a folder named explicitly even when an ignore rule covers it', async () => {
    const root = tree({ '.gitignore': 'fixtures/\n', 'fixtures/demo/app.ts': '', 'dist/out.js': '' });
    const result = await discover(['fixtures/demo', 'dist'], { cwd: root, ignore: ['fixtures/'] });
    expect(paths(result)).toEqual(['dist/out.js', 'fixtures/demo/app.ts']);
  });

  it('includes a file named explicitly even if it is gitignored', async () => {
    const root = tree({ '.gitignore': '*.log\n', 'logs/app.log': 'hello' });
    const result = await discover(['logs/app.log'], { cwd: root, ignore: ['logs/'] });
    expect(result).toEqual({
      roots: [path.join(root, 'logs')],
      // A file argument's folder is a root, but no path-based judgement is made below it.
      folderRoots: [],
      files: [{ path: 'logs/app.log', absPath: path.join(root, 'logs/app.log'), kind: 'text', size: 5 }],
      skipped: [],
    });
  });

  it('throws a UsageError naming a missing path', async () => {
    const root = tree({ 'a.ts': '' });
    const promise = discover(['a.ts', 'nope/x.ts'], { cwd: root });
    await expect(promise).rejects.toBeInstanceOf(UsageError);
    await expect(promise).rejects.toThrow(/^path not found: nope\/x\.ts$/);
  });

  it('lists a file once when arguments overlap, in either order', async () => {
    const root = tree({ 'src/a.ts': '', 'src/lib/b.ts': '', 'c.sql': '' });
    const expected = ['c.sql', 'src/a.ts', 'src/lib/b.ts'];
    for (const args of [
      ['.', 'src'],
      ['src', '.'],
      ['src/lib', 'src/lib/b.ts', './src', '.'],
    ]) {
      const result = await discover(args, { cwd: root });
      expect(paths(result)).toEqual(expected);
      expect(result.skipped).toEqual([]);
    }
    const roots = await discover(['src', 'src/a.ts', './src/'], { cwd: root });
    expect(roots.roots).toEqual([path.join(root, 'src')]);
  });

  it('reports paths relative to cwd even for roots outside it', async () => {
    const root = tree({ 'pkg/a.ts': '' });
    const result = await discover([path.join(root, 'pkg')], { cwd: path.join(root, 'other') });
    expect(paths(result)).toEqual(['../pkg/a.ts']);
  });

  it('reports normalised paths when a root holds the cwd (the walk builds paths from folder names)', async () => {
    const root = tree({ 'a.sql': '', 'app/api/b.ts': '', 'app/c.ts': '', 'lib/d.ts': '', 'lib/deep/e.ts': '' });
    const result = await discover(['..', path.join(root, 'lib')], { cwd: path.join(root, 'app') });
    expect(paths(result)).toEqual(['../a.sql', '../lib/d.ts', '../lib/deep/e.ts', 'api/b.ts', 'c.ts']);
    const fromTop = await discover(['.'], { cwd: root });
    expect(paths(fromTop)).toEqual(['a.sql', 'app/api/b.ts', 'app/c.ts', 'lib/d.ts', 'lib/deep/e.ts']);
  });

  it('skips binary files by extension and by a NUL byte in the first 8000 bytes', async () => {
    const nulAt = (index: number): Uint8Array => {
      const bytes = new Uint8Array(9000).fill(0x61);
      bytes[index] = 0;
      return bytes;
    };
    const root = tree({
      'logo.png': 'not really an image, but the extension decides',
      'archive.TAR.GZ': 'x',
      'data.txt': nulAt(7999),
      'late-nul.txt': nulAt(8000),
      'ok.txt': 'text',
    });
    const result = await discover(['.'], { cwd: root });
    expect(paths(result)).toEqual(['late-nul.txt', 'ok.txt']);
    expect(result.skipped).toEqual([
      { path: 'archive.TAR.GZ', reason: 'binary', detail: 'by extension' },
      { path: 'data.txt', reason: 'binary', detail: 'NUL byte in the first 8000 bytes' },
      { path: 'logo.png', reason: 'binary', detail: 'by extension' },
    ]);
  });

  it('skips files over maxFileSize and logs why, once per skip', async () => {
    const root = tree({ 'big.sql': 'x'.repeat(3000), 'edge.sql': 'x'.repeat(2048), 'big.png': 'x'.repeat(4096) });
    const log: string[] = [];
    const result = await discover(['.'], { cwd: root, maxFileSize: 2048, log: (m) => log.push(m) });
    expect(paths(result)).toEqual(['edge.sql']);
    expect(result.skipped).toEqual([
      { path: 'big.png', reason: 'too-large', detail: '4.0 KB > 2.0 KB' },
      { path: 'big.sql', reason: 'too-large', detail: '2.9 KB > 2.0 KB' },
    ]);
    expect(log).toEqual([
      'skipped big.png: too large (4.0 KB > 2.0 KB)',
      'skipped big.sql: too large (2.9 KB > 2.0 KB)',
    ]);
    expect(DEFAULT_MAX_FILE_SIZE).toBe(10 * 1024 * 1024);
  });

  it('reads the files of the kinds asked for on its way, with the same listing and skips as without', async () => {
    const root = tree({
      'db/1.sql': 'CREATE TABLE a (id int);\n',
      'db/big.sql': 'x'.repeat(3000),
      'db/nul.sql': 'CREATE\0',
      'src/a.ts': 'export {};\n',
      'notes.md': '# notes\n',
      'logo.png': 'not really',
    });
    const plain = await discover(['.'], { cwd: root, maxFileSize: 2048 });
    const into = new Map<string, Uint8Array>();
    const read = await discover(['.'], {
      cwd: root,
      maxFileSize: 2048,
      prefetch: { kinds: new Set(['sql', 'code']), into, maxBytes: 1000 },
    });
    expect(read).toEqual(plain);
    expect(paths(read)).toEqual(['db/1.sql', 'db/nul.sql', 'notes.md', 'src/a.ts']);
    expect([...into.keys()].sort()).toEqual(['db/1.sql', 'db/nul.sql', 'src/a.ts']);
    expect(Buffer.from(into.get('db/1.sql')!).toString()).toBe('CREATE TABLE a (id int);\n');
    expect(read.files.find((f) => f.path === 'db/1.sql')!.size).toBe(25);

    // No more than maxBytes are read ahead; the rest is listed all the same, and read later.
    const capped = new Map<string, Uint8Array>();
    const budget: Prefetch = { kinds: new Set(['sql', 'code']), into: capped, maxBytes: 33 };
    expect(await discover(['.'], { cwd: root, maxFileSize: 2048, prefetch: budget })).toEqual(plain);
    expect([...capped.keys()]).toEqual(['db/1.sql', 'db/nul.sql']);
    expect(budget.read).toBe(32);
  });

  it('logs what it ignores and why', async () => {
    const root = tree({ '.gitignore': '*.log\n', 'a.log': '', 'node_modules/x.js': '', 'gen/x.ts': '', 'b.ts': '' });
    const log: string[] = [];
    await discover(['.'], { cwd: root, ignore: ['gen'], log: (m) => log.push(m) });
    expect(log).toEqual([
      'ignored a.log: "*.log" in .gitignore',
      'ignored gen/: "gen" in config "ignore"',
      'ignored node_modules/: always skipped',
    ]);
  });

  it('always skips the default folders at any depth, and walks other dot-folders', async () => {
    const files: Record<string, string> = { '.github/workflows/ci.yml': '', '.config/x.json': '' };
    for (const dir of DEFAULT_SKIPPED_DIRS) files[`pkg/${dir}/x.js`] = '';
    const root = tree(files);
    const result = await discover(['.'], { cwd: root });
    expect(paths(result)).toEqual(['.config/x.json', '.github/workflows/ci.yml']);
    expect([...DEFAULT_SKIPPED_DIRS]).toEqual(['node_modules', '.git', 'dist', 'build', 'coverage', 'vendor']);
  });

  describe('symlinks', () => {
    it('stops at a folder linking back to its parent and records the loop', async () => {
      const root = tree({ 'sub/a.ts': '' });
      fs.symlinkSync('..', path.join(root, 'sub/up'));
      fs.symlinkSync('self', path.join(root, 'self'));
      const result = await discover(['.'], { cwd: root });
      expect(paths(result)).toEqual(['sub/a.ts']);
      expect(result.skipped).toEqual([
        { path: 'self', reason: 'symlink-loop', detail: 'symlink chain never resolves' },
        { path: 'sub/up', reason: 'symlink-loop', detail: 'links to .' },
      ]);
    });

    it('skips links that lead outside every root, and broken links', async () => {
      const root = tree({ 'src/a.ts': '' });
      const outside = tree({ 'secret.ts': '', 'dir/b.ts': '' });
      fs.symlinkSync(path.join(outside, 'secret.ts'), path.join(root, 'src/secret.ts'));
      fs.symlinkSync(path.join(outside, 'dir'), path.join(root, 'src/dir'));
      fs.symlinkSync('missing.ts', path.join(root, 'src/broken.ts'));
      const result = await discover(['src'], { cwd: root });
      expect(paths(result)).toEqual(['src/a.ts']);
      expect(result.skipped).toEqual([
        { path: 'src/broken.ts', reason: 'unreadable', detail: 'broken symlink' },
        { path: 'src/dir', reason: 'symlink-outside-root', detail: `links to ${path.join(outside, 'dir')}` },
        {
          path: 'src/secret.ts',
          reason: 'symlink-outside-root',
          detail: `links to ${path.join(outside, 'secret.ts')}`,
        },
      ]);
      // Once the target is a root too the links are followed; each real file is listed once,
      // under its first path in sorted order.
      const both = await discover(['src', outside], { cwd: root });
      const outsideRel = `../${path.basename(outside)}`;
      expect(paths(both)).toEqual([`${outsideRel}/secret.ts`, 'src/a.ts', 'src/dir/b.ts']);
      expect(both.roots).toEqual([path.join(root, 'src'), outside]);
    });

    it('lists a file reached twice once, under the first path in sorted order', async () => {
      const root = tree({ 'src/a.ts': '', 'z.ts': '' });
      fs.symlinkSync('src', path.join(root, 'lib'));
      fs.symlinkSync('z.ts', path.join(root, 'alias.ts'));
      const result = await discover(['.'], { cwd: root });
      expect(result.files).toEqual([
        { path: 'alias.ts', absPath: path.join(root, 'alias.ts'), kind: 'code', size: 0 },
        { path: 'lib/a.ts', absPath: path.join(root, 'lib/a.ts'), kind: 'code', size: 0 },
      ]);
      expect(result.skipped).toEqual([]);
    });
  });

  it('records unreadable folders and files instead of throwing', async () => {
    const root = tree({ 'locked/a.ts': '', 'secret.ts': '', 'b.ts': '' });
    fs.chmodSync(path.join(root, 'locked'), 0o000);
    fs.chmodSync(path.join(root, 'secret.ts'), 0o000);
    try {
      // root reads everything, so as root the walk runs in a child process as "nobody".
      const result = process.getuid?.() === 0 ? discoverAsNobody(root) : await discover(['.'], { cwd: root });
      expect(paths(result)).toEqual(['b.ts']);
      expect(result.skipped).toEqual([
        { path: 'locked', reason: 'unreadable', detail: 'EACCES' },
        { path: 'secret.ts', reason: 'unreadable', detail: 'EACCES' },
      ]);
    } finally {
      fs.chmodSync(path.join(root, 'locked'), 0o755);
    }
  });
});

/** Runs discover(['.']) on `root` as uid/gid 65534 and returns its FileSet. */
function discoverAsNobody(root: string): FileSet {
  fs.chmodSync(root, 0o755);
  // The built module (npm test builds first): Node 20 cannot run .ts files itself.
  const moduleUrl = new URL('../dist/src/discover/index.js', import.meta.url).href;
  const script = `import(${JSON.stringify(moduleUrl)}).then(async (m) => process.stdout.write(JSON.stringify(await m.discover(['.'], { cwd: ${JSON.stringify(root)} }))))`;
  const child = spawnSync(process.execPath, ['-e', script], {
    cwd: root,
    uid: 65534,
    gid: 65534,
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`child failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as FileSet;
}

describe('classifyFile', () => {
  it.each([
    ['openapi.yaml', 'openapi-candidate'],
    ['spec.YML', 'openapi-candidate'],
    ['package.json', 'openapi-candidate'],
    ['db/migrations/001.sql', 'sql'],
    ['a.ts', 'code'],
    ['a.tsx', 'code'],
    ['a.mts', 'code'],
    ['a.cts', 'code'],
    ['a.js', 'code'],
    ['a.jsx', 'code'],
    ['a.mjs', 'code'],
    ['a.cjs', 'code'],
    ['types/index.d.ts', 'code'],
    ['README.md', 'text'],
    ['.env', 'text'],
    ['Dockerfile', 'text'],
    ['config.json5', 'text'],
    ['ts', 'text'],
  ])('%s → %s', (file, kind) => {
    expect(classifyFile(file)).toBe(kind);
  });
});
