/** Example code: apps that show how to use the project are not deployed services. */
import { describe, expect, it } from 'vitest';
import { isExamplePath, isInstallerPath, isSampleScriptPath } from '../src/model/example-paths.js';

describe('isExamplePath', () => {
  it('recognises example, playground, demo and sample folders at any depth', () => {
    for (const path of [
      'playground/nestjs/src/main.ts',
      'examples/basic/server.ts',
      'packages/sdk/example/app.ts',
      'demo/index.js',
      'apps/api/samples/server.ts',
    ]) {
      expect(isExamplePath(path), path).toBe(true);
    }
  });

  it('leaves service code alone, even when a name contains the word', () => {
    for (const path of [
      'src/server.ts',
      'apps/demo-server/src/main.ts',
      'src/routes/examples.ts',
      'src/sampler/index.ts',
    ])
      expect(isExamplePath(path), path).toBe(false);
  });
});

describe('isInstallerPath', () => {
  it('recognises the files first-run installers are created in', () => {
    for (const path of ['server/setup.js', 'server/setup-database.js', 'install/web.js', 'src/installer.ts'])
      expect(isInstallerPath(path), path).toBe(true);
  });

  it('leaves other files alone, even when a name contains the word', () => {
    for (const path of [
      'src/server.ts',
      'src/setupRoutes.ts',
      'src/install/steps/database.ts',
      'src/routes/installs.ts',
    ])
      expect(isInstallerPath(path), path).toBe(false);
  });
});

describe('isSampleScriptPath', () => {
  it('recognises a sample, example or demo script by its file name', () => {
    for (const path of ['packages/uploadfs/sample.js', 'example.ts', 'lib/demo.mjs'])
      expect(isSampleScriptPath(path), path).toBe(true);
  });

  it('leaves resource modules and longer names alone', () => {
    for (const path of ['src/routes/examples.ts', 'src/samples.ts', 'src/demo-server.ts', 'src/sampler.ts'])
      expect(isSampleScriptPath(path), path).toBe(false);
  });
});
