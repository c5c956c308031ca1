/**
 * Next.js: routes are files (`app/**\/route.ts`, `pages/api/**`), read by ./next-routes.ts; nothing
 * in the router graph is a Next.js app. Apps of other frameworks can answer inside one (see
 * `nextHandlerModules` of their adapters).
 */
import type { FrameworkAdapter } from './adapter.js';

export const nextjs: FrameworkAdapter = {
  framework: 'nextjs',
  packages: ['next'],
  importedFrom: [],
  factories: [],
  factoryCallees: [],
  useMounts: false,
  methodRoutes: false,
  allMethodsRoute: false,
  returnsBody: false,
  routesOutsideGraph: true,
};
