/**
 * bin/archlint.js picks what it runs: the bundle (dist/bundle, scripts/bundle.mjs) whenever it is
 * there, whatever the file times (an install sets them as it pleases), else dist/src itself. Checked on a copy of bin/ with stand-in builds
 * whose main() says which one ran, so the real dist/ is never touched.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const BIN = new URL('../bin/archlint.js', import.meta.url).pathname;
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function install(files: { src?: boolean; bundle?: boolean }): string {
  const root = mkdtempSync(join(tmpdir(), 'archlint-bin-'));
  temps.push(root);
  mkdirSync(join(root, 'bin'));
  copyFileSync(BIN, join(root, 'bin/archlint.js'));
  copyFileSync(new URL('../bin/package.json', import.meta.url), join(root, 'bin/package.json'));
  writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');
  if (files.src) {
    mkdirSync(join(root, 'dist/src/cli'), { recursive: true });
    writeFileSync(
      join(root, 'dist/src/cli/main.js'),
      "export async function main(argv) { process.stdout.write(`src ${argv.join(' ')}`); return 3; }\n",
    );
  }
  if (files.bundle) {
    mkdirSync(join(root, 'dist/bundle'), { recursive: true });
    writeFileSync(join(root, 'dist/bundle/package.json'), '{ "type": "commonjs" }\n');
    writeFileSync(
      join(root, 'dist/bundle/archlint.js'),
      "exports.main = async (argv) => { process.stdout.write(`bundle ${argv.join(' ')}`); return 4; };\n",
    );
  }
  return root;
}

const run = (root: string) =>
  spawnSync(process.execPath, [join(root, 'bin/archlint.js'), 'lint', '.'], { encoding: 'utf8' });
const age = (file: string, seconds: number) =>
  utimesSync(file, new Date(Date.now() - seconds * 1000), new Date(Date.now() - seconds * 1000));

describe('bin/archlint.js', () => {
  it('runs the bundle whenever it is there, even when dist/src looks newer, and passes the arguments and exit code through', () => {
    const root = install({ src: true, bundle: true });
    age(join(root, 'dist/bundle/archlint.js'), 600);
    expect(run(root)).toMatchObject({ stdout: 'bundle lint .', status: 4 });
    expect(run(install({ bundle: true }))).toMatchObject({ stdout: 'bundle lint .', status: 4 });
  });

  it('runs dist/src when there is no bundle (a checkout where only tsc ran)', () => {
    expect(run(install({ src: true }))).toMatchObject({ stdout: 'src lint .', status: 3 });
  });

  it('the build leaves a bundle that reports exactly what dist/src reports', () => {
    const root = new URL('../', import.meta.url).pathname;
    const args = ['lint', '--format', 'json', 'fixtures/demo'];
    const viaBin = spawnSync(process.execPath, [BIN, ...args], { cwd: root, encoding: 'utf8' });
    const unbundled = `const { main } = await import(${JSON.stringify(join(root, 'dist/src/cli/main.js'))}); process.exitCode = await main(${JSON.stringify(args)});`;
    const viaSrc = spawnSync(process.execPath, ['--input-type=module', '-e', unbundled], {
      cwd: root,
      encoding: 'utf8',
    });
    const report = (stdout: string) => {
      const parsed = JSON.parse(stdout) as { summary: { durationMs?: number; files: number } };
      delete parsed.summary.durationMs;
      return parsed;
    };
    expect(viaBin.status).toBe(viaSrc.status);
    expect(report(viaBin.stdout).summary.files).toBeGreaterThan(10);
    expect(report(viaBin.stdout)).toEqual(report(viaSrc.stdout));
  });

  it('says how to build when nothing is built', () => {
    const result = run(install({}));
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('archlint: not built yet; run "npm run build" in the archlint folder.\n');
  });
});
