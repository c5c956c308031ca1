/**
 * React Router (framework mode) / Remix resource routes in the routes model: flat-route file names,
 * remix-flat-routes `+` folders, `app/routes.ts` configs; a loader answers GET, an action the methods
 * it tells apart (POST by default); a module that renders a page is the site, not an endpoint.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { pathOfFlatName } from '../src/inputs/routes/frameworks/react-router-routes.js';
import { cleanTrees, routesModel, tree } from './routes-helpers.js';

afterEach(cleanTrees);

async function routes(files: Record<string, string>): Promise<string[]> {
  const model = await routesModel(tree(files));
  return model.endpoints
    .map((e) => `${e.method.toUpperCase()} ${e.path} ${e.origin.file} ${e.role}${e.confidence === 'low' ? ' low' : ''}`)
    .sort();
}

const REMIX_PKG = JSON.stringify({ dependencies: { '@remix-run/node': '2.0.0', '@remix-run/react': '2.0.0' } });

describe('React Router / Remix routes', () => {
  it('reads flat-route names into paths', () => {
    expect(pathOfFlatName('api.v1.users.$id')).toEqual({ value: '/api/v1/users/{id}', exact: true });
    expect(pathOfFlatName('_auth.login')).toEqual({ value: '/login', exact: true });
    expect(pathOfFlatName('users_.$id.edit')).toEqual({ value: '/users/{id}/edit', exact: true });
    expect(pathOfFlatName('[sitemap.xml]')).toEqual({ value: '/sitemap.xml', exact: true });
    expect(pathOfFlatName('api.files.$')).toEqual({ value: '/api/files/*', exact: true });
    expect(pathOfFlatName('($lang).about')).toEqual({ value: '/about', exact: false });
    expect(pathOfFlatName('api.v1.projects._index')).toEqual({ value: '/api/v1/projects', exact: true });
  });

  it('lists resource routes of a flat-routes app, not its pages', async () => {
    expect(
      await routes({
        'package.json': REMIX_PKG,
        'app/routes/api.v1.projects.ts': [
          "import { json, type LoaderFunctionArgs, type ActionFunctionArgs } from '@remix-run/node';",
          'export async function loader({ request }: LoaderFunctionArgs) { return json([]); }',
          'export async function action({ request }: ActionFunctionArgs) {',
          "  if (request.method === 'DELETE') return json({ ok: true });",
          "  if (request.method === 'PUT') return json({ ok: true });",
          '  return json({ ok: false }, { status: 405 });',
          '}',
        ].join('\n'),
        'app/routes/api.v1.projects.$id/route.ts':
          'export const action = async () => new Response(null, { status: 204 });\n',
        'app/routes/api.v1.projects.$id/helpers.ts': 'export const x = 1;\n',
        'app/routes/dashboard.tsx':
          'export const loader = async () => ({});\nexport default function Page() { return null; }\n',
      }),
    ).toEqual([
      'DELETE /api/v1/projects app/routes/api.v1.projects.ts resource',
      'GET /api/v1/projects app/routes/api.v1.projects.ts resource',
      'POST /api/v1/projects/{id} app/routes/api.v1.projects.$id/route.ts resource',
      'PUT /api/v1/projects app/routes/api.v1.projects.ts resource',
    ]);
  });

  it("reads remix-flat-routes '+' folders and app/routes.ts configs", async () => {
    expect(
      await routes({
        'package.json': JSON.stringify({ dependencies: { '@remix-run/node': '2.0.0', 'remix-flat-routes': '0.6.0' } }),
        'app/routes/api+/health.ts': 'export const loader = () => new Response("ok");\n',
        'app/routes/api+/+helpers.ts': 'export const loader = () => null;\n',
      }),
    ).toEqual(['GET /api/health app/routes/api+/health.ts infrastructure']);
    expect(
      await routes({
        'package.json': JSON.stringify({
          dependencies: { '@react-router/node': '7.0.0', '@react-router/dev': '7.0.0' },
        }),
        'app/routes.ts': [
          "import { type RouteConfig, route, prefix, index } from '@react-router/dev/routes';",
          'export default [',
          "  index('routes/home.tsx'),",
          "  ...prefix('api/v2', [route('orders/:orderId', 'routes/order.ts')]),",
          '] satisfies RouteConfig;',
        ].join('\n'),
        'app/routes/home.tsx': 'export default function Home() { return null; }\n',
        'app/routes/order.ts': 'export const loader = async () => Response.json({});\n',
      }),
    ).toEqual(['GET /api/v2/orders/{orderId} app/routes/order.ts resource']);
  });
});
