/**
 * Express: `express()` apps and `Router()` routers; `app.use(prefix?, router | middleware…)` mounts
 * or adds middleware; `router.route(path).get(h).post(h)` registers at one path.
 */
import type { FrameworkAdapter } from './adapter.js';

export const express: FrameworkAdapter = {
  framework: 'express',
  packageFamilies: ['express-'],
  packages: ['express'],
  importedFrom: ['express'],
  // `Router`, `Express`, `Application` are generic names: another framework imported by the file wins.
  parameterType: { pattern: /\b(Router|Express|Application)\b/, generic: true },
  factories: [
    { packages: ['express'], paths: [''], via: 'call', role: 'app' },
    { packages: ['express'], paths: ['Router'], role: 'router' },
  ],
  factoryCallees: ['express', 'Router'],
  useMounts: true,
  methodRoutes: true,
  allMethodsRoute: true,
  chainable: ['route', 'param'],
  returns: {
    // `router.route('/users')` is a handle whose `.get(h)` registers at that path.
    route: (graph, call, receiver) => (call.arguments.length === 1 ? [graph.routeHandle(call, receiver)] : [receiver]),
  },
  returnsBody: false,
};
