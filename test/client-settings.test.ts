/** HTTP client settings judged over the whole tree (src/inputs/code/client-settings.ts), also for a batch checked apart. */
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFiles } from '../src/engine/file-rules.js';
import { lint } from '../src/engine/run.js';
import { rules } from '../rules/index.js';
import { useTempTrees } from './harness/tree.js';

const tree = useTempTrees('client-settings');

const files = {
  'package.json': JSON.stringify({
    name: 'monitor',
    scripts: { start: 'node server/main.js' },
    dependencies: { axios: '1' },
  }),
  'server/main.js':
    "const axios = require('axios');\nconst { send } = require('./send');\naxios.defaults.timeout = 30000;\nsend();\n",
  'server/send.js':
    "const axios = require('axios');\nexports.send = () => axios.post('https://events.example.com/v2', {});\n",
};

describe('client settings', () => {
  it('quiets the global axios of a package whose server sets axios.defaults.timeout, in the whole run and in a batch', async () => {
    const dir = realpathSync(tree(files));
    const run = await lint({ cwd: dir, paths: ['.'], loaded: { config: {}, baseDir: dir }, rules });
    expect(run.result.findings.filter((f) => f.ruleId === 'resilience/http-client-timeouts')).toEqual([]);

    const file = { path: 'server/send.js', absPath: join(dir, 'server/send.js'), kind: 'code' as const, size: 90 };
    const setup = {
      cwd: dir,
      roots: [dir],
      config: { config: {}, baseDir: dir },
      ruleIds: ['resilience/http-client-timeouts'],
      options: {},
      rootLabel: '.',
    };
    // Alone, the batch cannot see the start-up module: reported.
    expect((await checkFiles([file], setup)).flat()).toHaveLength(1);
    // Given the whole run's judgement, its package folder is read from disk as the run's is: quiet.
    expect((await checkFiles([file], { ...setup, loopbackImports: ['\u0000axios-timeout\u0000.'] })).flat()).toEqual(
      [],
    );
  });
});
