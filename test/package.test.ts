/**
 * The published package as a user gets it: `npm pack` (scripts off: `npm test` has just built
 * dist/, and a rebuild here would race the other test files), the file list, publint, then an
 * install of the tarball into an empty project and `npx archlint` on the demo.
 *
 * The install is `--prefer-offline`, not `--offline`: the lockfile install before the tests fills
 * npm's cache with the dependencies' tarballs but not with their registry metadata, which an
 * install of a tarball (no lockfile) needs; with `--offline` it fails with ENOTCACHED. So this
 * test reads package metadata from the npm registry when the cache lacks it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = new URL('..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'archlint-package-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const npm = (args: string[], cwd: string) =>
  spawnSync('npm', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' },
  });

describe('the npm package', () => {
  let tarball = '';

  it('packs one build: the bin, the bundle, the config schema, README and licence; no dist/src, no source maps', () => {
    const pack = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT);
    expect(pack.status, pack.stderr).toBe(0);
    const [info] = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    tarball = join(work, info!.filename);
    const files = info!.files.map((f) => f.path);
    expect(files.filter((f) => !f.startsWith('dist/bundle/')).sort()).toEqual([
      'LICENSE',
      'README.md',
      'archlint.schema.json',
      'bin/archlint.js',
      'bin/package.json',
      'package.json',
    ]);
    expect(files).toContain('dist/bundle/archlint.js');
    expect(files.filter((f) => f.endsWith('.map') || f.endsWith('.ts'))).toEqual([]);
  });

  it('is publint clean (strict: warnings count)', () => {
    const lint = spawnSync(process.execPath, [join(ROOT, 'node_modules/publint/src/cli.js'), '--strict', ROOT], {
      encoding: 'utf8',
    });
    expect(lint.status, lint.stdout + lint.stderr).toBe(0);
    expect(lint.stdout).toContain('All good!');
  });

  it('installs into an empty project, and npx archlint runs the bundle on the demo', () => {
    expect(tarball).not.toBe('');
    const project = join(work, 'project');
    spawnSync('mkdir', [project]);
    writeFileSync(join(project, 'package.json'), '{ "name": "shop", "private": true }\n');
    const install = npm(['install', '--prefer-offline', '--save-dev', tarball], project);
    expect(install.status, install.stderr).toBe(0);
    const installed = join(project, 'node_modules/archlint');
    expect(readdirSync(join(installed, 'dist'))).toEqual(['bundle']);

    const version = spawnSync('npx', ['--no-install', 'archlint', '--version'], { cwd: project, encoding: 'utf8' });
    expect(version.stdout.trim()).toBe(JSON.parse(npm(['pkg', 'get', 'version'], ROOT).stdout) as string);
    const demo = spawnSync('npx', ['--no-install', 'archlint', join(ROOT, 'fixtures/demo'), '--format', 'json'], {
      cwd: project,
      encoding: 'utf8',
    });
    expect(demo.status, demo.stderr).toBe(1);
    const report = JSON.parse(demo.stdout) as { findings: Array<{ ruleId: string }>; summary: { files: number } };
    expect(report.summary.files).toBeGreaterThan(10);
    expect(new Set(report.findings.map((f) => f.ruleId))).toContain('security/no-hardcoded-secrets');
    expect(existsSync(join(installed, 'archlint.schema.json'))).toBe(true);
  }, 180_000);
});
