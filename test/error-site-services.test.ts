/** Which services an error site can answer (ErrorSite.heldBy): those whose code imports the file it is written in. */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanTrees, routesModel, tree } from './routes-helpers.js';

afterEach(cleanTrees);

describe('ErrorSite.heldBy', () => {
  it('names every service that imports a helper, and none for code no service imports', async () => {
    const dir = tree({
      'shared/refuse.ts':
        "import type { Response } from 'express';\nexport const refuse = (res: Response) => res.status(500).send('Something went wrong');\n",
      'api/index.ts': [
        "import express from 'express';",
        "import { refuse } from '../shared/refuse';",
        'const app = express();',
        "app.post('/v1/orders', (req, res) => refuse(res));",
        'app.listen(3000);',
      ].join('\n'),
      'runner/index.ts': [
        "import express from 'express';",
        "import { refuse } from '../shared/refuse';",
        'const app = express();',
        "app.post('/jobs/run', (req, res) => refuse(res));",
        'app.listen(3200);',
      ].join('\n'),
      'scripts/orphan.ts':
        "import type { Response } from 'express';\nexport const fail = (res: Response) => res.status(500).send('Something went wrong');\n",
    });
    const model = await routesModel(dir);
    const byFile = (file: string) => model.errorSites.find((site) => site.origin.file.endsWith(file));
    expect(byFile('shared/refuse.ts')?.heldBy).toEqual(['api/index.ts#app', 'runner/index.ts#app']);
    expect(byFile('scripts/orphan.ts')?.heldBy).toBeUndefined();
  });
});
