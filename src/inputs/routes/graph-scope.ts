/**
 * The files the router graph needs to walk, chosen before any is parsed (issue 22: most files of a
 * large tree are front-end or domain code that no router reaches, and parsing them was most of the
 * time of `archlint routes`). From each file's text alone (the module specifiers it names, see
 * importers.ts):
 *
 * - a file that imports a framework package or one of its helpers, or whose text names a framework's
 *   router type (a parameter typed `Router`, `FastifyInstance`…), may create or receive a router;
 * - a file that imports a value from such a file (transitively) may use what it exports (`import app
 *   from './app'` then `app.use(…)`, `app.listen()`) — not through an `import type`, nor a front-end file;
 * - a file any of those imports (transitively) may be given a router (`registerRoutes(app)` declared
 *   in a file with no framework import, a barrel that re-exports it, a `require`d module) — unless it is
 *   front-end code (a 'use client' module, or one importing a UI package such as React), which no router
 *   is handed to;
 * - in a tree that uses @fastify/autoload, a file registering a route with a literal path
 *   (`fastify.get('/x', …)`) and what it imports: a plugin loaded from a folder is imported by no one.
 *
 * Tests, examples and bundles (not among the sources, see bundles.ts) are neither kept nor walked through. Everything else
 * cannot hold a registration whose receiver resolves to a router, so its calls are never collected. Files outside the scope are still parsed on demand when a value is followed
 * into them (a handler, a schema, an options object).
 */
import type { CodeFile } from '../code/index.js';
import {
  ADAPTERS,
  ADAPTER_VERBS,
  CONTEXT_SHARING_WRAPPERS,
  FACTORIES_BY_PACKAGE,
  FOLDER_LOADERS,
  FRAMEWORK_OF_PACKAGE,
  MOUNT_WRAPPERS,
  NEXT_HANDLER_MODULES,
  PACKAGE_FAMILIES,
  PARAMETER_TYPES,
} from './frameworks/index.js';
import type { Modules } from './modules.js';
import { HTTP_METHODS } from './route-args.js';
import { packageName } from './values.js';

/**
 * Package names whose import makes a file a seed of the scope: the packages of the frameworks whose
 * apps and routers are graph nodes (those with factories), their helpers, and the modules that hand an
 * app to a server. Nest controllers, Next.js route files, tRPC procedures and React Router modules are
 * read by their own extractors, not through the graph's call sites.
 */
const ROUTER_PACKAGES = new Set(
  [
    ...ADAPTERS.filter((a) => a.factories.length > 0).flatMap((a) => [...a.packages, ...(a.helperPackages ?? [])]),
    ...FACTORIES_BY_PACKAGE.keys(),
    ...FRAMEWORK_OF_PACKAGE.keys(),
    ...MOUNT_WRAPPERS,
    ...NEXT_HANDLER_MODULES,
    ...CONTEXT_SHARING_WRAPPERS,
  ].map(packageName),
);
/**
 * A framework's router type in a parameter's type annotation (`router: Router`, `{ app }: { app: Hono }`,
 * `app: FastifyInstance`): what graph-builder's frameworkHint reads, looked for in the text.
 */
const ROUTER_TYPES = PARAMETER_TYPES.map((p) => ({
  /** The type's name anywhere: a quick test before the slower one. */
  name: p.pattern,
  annotation: new RegExp(
    `(?:[(,]\\s*(?:\\.\\.\\.)?[\\w$]+\\??|[}\\]])\\s*:\\s*[^,)=;{}\\n'"\`]*?(?:${p.pattern.source})`,
  ),
}));
/** A registration with a literal path: `x.get('/…'`, `x.route('…'`, `x.use("…"`. */
const LITERAL_REGISTRATION = new RegExp(
  `\\.\\s*(?:${[...new Set([...HTTP_METHODS, 'use', 'route', ...ADAPTER_VERBS])].join('|')})\\s*\\(\\s*['"\`]`,
);

/**
 * User-interface packages: a module that imports one (a component, a hook) and no framework is front-end
 * code; it is given no router, and the forward walk neither keeps it nor goes on through what it imports.
 */
const UI_PACKAGES = new Set([
  'react',
  'react-dom',
  'vue',
  'svelte',
  'solid-js',
  'preact',
  '@angular/core',
  'lit',
  'react-native',
  'expo',
]);
const USE_CLIENT = /^(?:\s|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*['"]use client['"]/;

/** The files, among `sources`, whose calls the router graph collects. */
export function graphScope(modules: Modules, sources: readonly CodeFile[]): Set<CodeFile> {
  return scopeParts(modules, sources).scope;
}

/**
 * The scope, and among it the files only reached by being imported (the forward walk): those can only be handed
 * a router, so a call in them matters only as a call of a function the graph follows (call-sites.ts reads them
 * when asked, see `handedOnly`).
 */
export function scopeParts(
  modules: Modules,
  sources: readonly CodeFile[],
): { scope: Set<CodeFile>; handed: Set<CodeFile> } {
  const index = modules.imports;
  const within = new Set(sources);
  const seeds: CodeFile[] = [];
  const registering: CodeFile[] = [];
  let autoload = false;
  for (const file of sources) {
    const text = file.text.content;
    const specifiers = index.specifiersOf(file);
    if (FOLDER_LOADERS.some((loader) => specifiers.includes(loader.package))) autoload = true;
    const importsRouter = specifiers.some(
      (spec) => ROUTER_PACKAGES.has(packageName(spec)) || PACKAGE_FAMILIES.some((prefix) => spec.startsWith(prefix)),
    );
    if (importsRouter || ROUTER_TYPES.some((t) => t.name.test(text) && t.annotation.test(text))) seeds.push(file);
    else if (LITERAL_REGISTRATION.test(text)) registering.push(file);
  }
  // Plugins loaded from a folder are imported by no one: files that register a route are walked then.
  if (!autoload) registering.length = 0;
  // What may hold a router's value: importers of the seeds' values, transitively (an `import type` brings none).
  const scope = new Set<CodeFile>(seeds);
  const up = [...seeds];
  for (let file = up.pop(); file; file = up.pop()) {
    for (const importer of index.mayImportValue(file.path)) {
      if (scope.has(importer) || !within.has(importer) || isFrontEnd(index, importer)) continue;
      scope.add(importer);
      up.push(importer);
    }
  }
  // What may be handed one: what all of them import, transitively. A file with no function is handed nothing (no
  // parameter to receive a router; one it imports would have put it in the scope above): it is walked through,
  // not kept (a generated table of bots or referrers: 170 KB files parsed for no call).
  for (const file of registering) scope.add(file);
  const down = [...scope];
  const passed = new Set<CodeFile>();
  const handed = new Set<CodeFile>();
  for (let file = down.pop(); file; file = down.pop()) {
    for (const path of index.valueImportedBy(file)) {
      const target = modules.code.get(path);
      if (!target || scope.has(target) || passed.has(target) || !within.has(target) || isFrontEnd(index, target))
        continue;
      if (FUNCTION_SYNTAX.test(target.text.content)) {
        scope.add(target);
        handed.add(target);
      } else passed.add(target);
      down.push(target);
    }
  }
  return { scope, handed };
}

/** Text that may declare a function: an arrow, `function`, a class, a method (`name(…) {`, `name(…): T {`). */
const FUNCTION_SYNTAX = /=>|\bfunction\b|\bclass\b|\)\s*[:{]/;

function isFrontEnd(index: Modules['imports'], file: CodeFile): boolean {
  return (
    USE_CLIENT.test(file.text.content) || index.specifiersOf(file).some((spec) => UI_PACKAGES.has(packageName(spec)))
  );
}
