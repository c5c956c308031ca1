/**
 * The framework adapters, and the facts the generic graph builder reads from all of them at once.
 * Adding a framework: write its adapter (./adapter.ts says what it declares) and list it here.
 */
import type { Framework } from '../graph.js';
import type { Factory, FrameworkAdapter } from './adapter.js';
import { express } from './express.js';
import { fastify } from './fastify.js';
import { hono } from './hono.js';
import { koa } from './koa.js';
import { nestjs } from './nestjs.js';
import { nextjs } from './nextjs.js';
import { overnight } from './overnight.js';
import { reactRouter } from './react-router.js';
import { trpc } from './trpc.js';
import { tsRest } from './ts-rest.js';

export const ADAPTERS: readonly FrameworkAdapter[] = [
  express,
  fastify,
  hono,
  koa,
  nestjs,
  nextjs,
  overnight,
  trpc,
  reactRouter,
  tsRest,
];

const byFramework = new Map<Framework, FrameworkAdapter>(ADAPTERS.map((a) => [a.framework, a]));

export function adapterOf(framework: Framework): FrameworkAdapter {
  const adapter = byFramework.get(framework);
  if (!adapter) throw new Error(`no adapter for ${framework}`);
  return adapter;
}

/** A factory with the adapter that declares it. */
export interface KnownFactory extends Factory {
  framework: Framework;
}

/** Factories by package name. */
export const FACTORIES_BY_PACKAGE = new Map<string, KnownFactory[]>();
for (const adapter of ADAPTERS) {
  for (const factory of adapter.factories) {
    for (const pkg of factory.packages) {
      const list = FACTORIES_BY_PACKAGE.get(pkg) ?? [];
      list.push({ ...factory, framework: adapter.framework });
      FACTORIES_BY_PACKAGE.set(pkg, list);
    }
  }
}

/** Callee names worth resolving up front as possible factories. */
export const FACTORY_CALLEES = new Set(ADAPTERS.flatMap((a) => a.factoryCallees));
/** Method calls some framework gives a meaning of its own, in the order the adapters list them. */
export const ADAPTER_VERBS = [...new Set(ADAPTERS.flatMap((a) => Object.keys(a.verbs ?? {})))];
/** Method calls that return their receiver in some framework. */
export const ADAPTER_CHAINABLE = new Set(ADAPTERS.flatMap((a) => a.chainable ?? []));
export const CONTEXT_SHARING_WRAPPERS = new Set(ADAPTERS.flatMap((a) => a.contextSharingWrappers ?? []));
export const MOUNT_WRAPPERS = new Set(ADAPTERS.flatMap((a) => a.mountWrappers ?? []));
/** Specifier prefixes of the frameworks' plugin families (`@fastify/`, `hono-`). */
export const PACKAGE_FAMILIES = ADAPTERS.flatMap((a) => a.packageFamilies ?? []);
/** Packages that register every file of a folder, with how the folder is written (`@fastify/autoload`). */
export const FOLDER_LOADERS = ADAPTERS.flatMap((a) => a.folderLoaders ?? []);
/** Functions that serve the app they are given (`serve(app)`, `handle(app)`). */
export const SERVING_CALLS = [...new Set(ADAPTERS.flatMap((a) => a.servedBy?.calls ?? []))];
/** Members whose reading hands the app to a server (`app.fetch`). */
export const SERVING_READS = new Set(ADAPTERS.flatMap((a) => a.servedBy?.reads ?? []));
export const NEXT_HANDLER_MODULES = new Set(ADAPTERS.flatMap((a) => a.nextHandlerModules ?? []));

/** The frameworks' own packages: a handler is written in them. */
export const FRAMEWORK_PACKAGES = new Set(ADAPTERS.flatMap((a) => a.packages));
/** Packages recognised by name: the frameworks' and their helpers'. */
export const RECOGNISED_PACKAGES = new Set(ADAPTERS.flatMap((a) => [...a.packages, ...(a.helperPackages ?? [])]));
/** Framework packages of which only some sub-modules authenticate, with those sub-modules. */
export const AUTH_MODULES = new Map<string, RegExp>(
  ADAPTERS.flatMap((a) => (a.authModules ? [[a.authModules.package, a.authModules.modules] as const] : [])),
);

/** HTTP exception classes of the frameworks. */
export const HTTP_EXCEPTIONS = ADAPTERS.flatMap((a) => (a.httpExceptions ? [a.httpExceptions] : []));
/** Packages of `createError`-style helpers the frameworks bring. */
export const ERROR_HELPERS = ADAPTERS.flatMap((a) => a.errorHelpers ?? []);

/** The framework a file is written for, from one package it imports. */
export const FRAMEWORK_OF_PACKAGE = new Map<string, Framework>(
  ADAPTERS.flatMap((a) => a.importedFrom.map((pkg) => [pkg, a.framework] as const)),
);

/** Parameter type patterns, the specific ones before the generic ones. */
export const PARAMETER_TYPES = [
  ...ADAPTERS.filter((a) => a.parameterType && !a.parameterType.generic),
  ...ADAPTERS.filter((a) => a.parameterType?.generic),
].map((a) => ({
  framework: a.framework,
  pattern: a.parameterType!.pattern,
  generic: a.parameterType!.generic === true,
}));
