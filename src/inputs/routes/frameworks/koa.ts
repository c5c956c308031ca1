/**
 * Koa: `new Koa()` apps and @koa/router / koa-router routers (with a `prefix` option or
 * `router.prefix(p)`), mounted with `app.use(router.routes())` or koa-mount's `mount('/v1', app)`.
 */
import { findProperty } from '../values.js';
import { loadTypeScript } from '../../code/ts-morph.js';
import type { FrameworkAdapter } from './adapter.js';

/** The TypeScript namespace at run time. */
const typescript = loadTypeScript();

export const koa: FrameworkAdapter = {
  framework: 'koa',
  packageFamilies: ['@koa/', 'koa-'],
  packages: ['koa', '@koa/router', 'koa-router'],
  helperPackages: ['koa-mount'],
  importedFrom: ['koa', '@koa/router', 'koa-router'],
  parameterType: { pattern: /Koa|KoaRouter/ },
  factories: [
    { packages: ['koa'], paths: ['', 'Koa'], role: 'app' },
    { packages: ['@koa/router', 'koa-router'], paths: ['', 'Router'], role: 'router' },
  ],
  factoryCallees: ['Koa', 'Router'],
  useMounts: true,
  methodRoutes: true,
  allMethodsRoute: true,
  verbs: {
    prefix: (graph, call, receiver) => {
      if (receiver.role === 'router' && call.arguments[0])
        receiver.ownPrefix = graph.evaluator.stringOrText(call.arguments[0]);
    },
  },
  chainable: ['prefix', 'param'],
  returns: {
    // `app.use(router.routes())`, `router.middleware()`: the router itself is what gets mounted.
    routes: (_graph, _call, receiver) => [receiver],
    middleware: (_graph, _call, receiver) => [receiver],
    allowedMethods: () => [],
    // `router.route(name)` looks a route up by name: not a router.
    route: (_graph, call, receiver) => (call.arguments.length === 1 ? [] : [receiver]),
  },
  created: (graph, node, creation) => {
    // `new Router({ prefix: '/api' })`
    if (node.role !== 'router' || !(typescript.isNewExpression(creation) || typescript.isCallExpression(creation)))
      return;
    const options = creation.arguments?.[0] ? graph.evaluator.objectLiteralOf(creation.arguments[0]) : undefined;
    const prefix = options ? findProperty(options, 'prefix') : undefined;
    if (prefix) node.ownPrefix = graph.evaluator.stringOrText(prefix);
  },
  mountWrappers: ['koa-mount'],
  returnsBody: false,
};
