import { it } from 'vitest';
import { routesModel } from './routes-helpers.js';
it('demo', async () => {
  const m = await routesModel('/work/main/fixtures/demo');
  console.log(JSON.stringify(m.services, null, 1));
  for (const e of m.endpoints) console.log(e.method, e.path, e.origin.file, e.confidence, JSON.stringify(e.handler && {q: e.handler.queryParams, p: e.handler.pagingArgs}), JSON.stringify(e.responses.map(r => [r.status, r.body.kind, r.body.collection])));
  for (const s of m.errorSites) console.log(s.via, s.status, s.origin.file, JSON.stringify(s.body));
});
