/**
 * React Router (framework mode) and Remix: routes are modules under `app/routes/` or listed in
 * `app/routes.ts`, read by ./react-router-routes.ts; nothing in the router graph is one of its apps.
 */
import type { FrameworkAdapter } from './adapter.js';

export const reactRouter: FrameworkAdapter = {
  framework: 'react-router',
  packages: [
    'react-router',
    '@react-router/node',
    '@remix-run/node',
    '@remix-run/server-runtime',
    '@remix-run/cloudflare',
  ],
  importedFrom: [],
  factories: [],
  factoryCallees: [],
  useMounts: false,
  methodRoutes: false,
  allMethodsRoute: false,
  returnsBody: true,
  routesOutsideGraph: true,
};
