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
    // Every app's code was followed whole: the orphan is run by no app archlint knows.
    expect(byFile('scripts/orphan.ts')?.heldBy).toEqual([]);
    expect(byFile('shared/refuse.ts')?.calledFrom?.map((call) => call.file)).toEqual([
      'api/index.ts',
      'runner/index.ts',
    ]);
    // Never called: where it runs is not known.
    expect(byFile('scripts/orphan.ts')?.calledFrom).toBeUndefined();
  });

  it('says nothing of unreached code when a route belongs to no app archlint can name', async () => {
    const dir = tree({
      // A router handed to an app through an argument: archlint cannot name the app that mounts it.
      'routes/orders.ts': [
        "import { Router } from 'express';",
        'export const mount = (router: Router) => {',
        "  router.post('/v1/orders', (req, res) => res.status(201).json({}));",
        '};',
      ].join('\n'),
      'lib/refuse.ts':
        "import type { Response } from 'express';\nexport const refuse = (res: Response) => res.status(500).send('Something went wrong');\n",
      'api/index.ts': ["import express from 'express';", 'const app = express();', 'app.listen(3000);'].join('\n'),
    });
    const model = await routesModel(dir);
    const site = model.errorSites.find((s) => s.origin.file.endsWith('lib/refuse.ts'));
    expect(model.endpoints.map((e) => e.serviceId)).toEqual(['routes/orders.ts#router']);
    expect(site?.heldBy).toBeUndefined();
  });
});
