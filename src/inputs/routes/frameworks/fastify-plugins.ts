/**
 * Fastify plugins: every `register(plugin, { prefix })` makes an encapsulated context in which the
 * plugin's first parameter is the instance (a plugin wrapped in fastify-plugin shares its parent's
 * instance instead, and its prefix is ignored). @fastify/autoload registers every file of a folder
 * as a plugin, prefixed by its folder path.
 */
import { posix } from 'node:path';
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../../code/ts-morph.js';
import type { RouterNode } from '../graph.js';
import { functionHolder, origin } from '../origins.js';
import { EMPTY } from '../route-args.js';
import { findProperty, packageName, unwrap, type StringValue } from '../values.js';
import { perGraph, type GraphContext } from './adapter.js';

/** The TypeScript namespace at run time (types come from the `import type` above). */
const typescript = loadTypeScript();

const AUTOLOAD = '@fastify/autoload';
const CONTEXT_SHARING_WRAPPER = 'fastify-plugin';

export interface PluginUse {
  call: ts.CallExpression;
  /** Receiver expression of `.register`. */
  receiver: ts.Expression;
  prefix: StringValue;
  sharesContext: boolean;
}

/** The plugin uses of one graph, indexed by the plugin function (built on first use). */
export const pluginsOf = perGraph((graph) => new FastifyPlugins(graph));

export class FastifyPlugins {
  private index?: Map<ts.Node, PluginUse[]>;

  constructor(private readonly graph: GraphContext) {}

  /** Every `register(fn, opts)` (and @fastify/autoload folder) that registers this function. */
  usesOf(fn: ts.FunctionLikeDeclaration): PluginUse[] {
    return this.all().get(fn) ?? [];
  }

  all(): Map<ts.Node, PluginUse[]> {
    if (!this.index) this.index = this.build();
    return this.index;
  }

  /** The encapsulated context a registration makes for a plugin function, mounted on the receiver at the prefix. */
  context(use: PluginUse, fn: ts.FunctionLikeDeclaration, receiver: RouterNode): RouterNode {
    const { modules } = this.graph;
    const key = `ctx:${use.call.pos}:${modules.fileFor(use.call).path}:${fn.pos}:${modules.fileFor(fn).path}:${receiver.id}`;
    const existing = this.graph.existingNode(key);
    if (existing) return existing;
    const file = modules.fileFor(fn);
    const holder = functionHolder(fn);
    const node = this.graph.makeNode(
      key,
      file,
      fn,
      holder.name ?? posix.basename(file.path).replace(/\.[^.]+$/, ''),
      'fastify',
      'context',
    );
    this.graph.mount(receiver, node, use.prefix, origin(modules.fileFor(use.call), use.call));
    return node;
  }

  /**
   * Package plugins an @fastify/autoload folder registers: a file whose default export is the package's plugin
   * (`export default fastifyRateLimit`, `export default fp(fastifyUnderPressure, {…})`) registers that package.
   */
  autoloadedPackages(call: ts.CallExpression): string[] {
    const { evaluator, modules } = this.graph;
    const options = call.arguments[1] ? evaluator.objectLiteralOf(call.arguments[1]) : undefined;
    const dirNode = options ? findProperty(options, 'dir') : undefined;
    const dir = dirNode ? this.folderOf(call, dirNode) : undefined;
    if (dir === undefined) return [];
    const out: string[] = [];
    for (const file of modules.code.files) {
      if (!file.path.startsWith(`${dir}/`)) continue;
      const binding = modules.exportOf(file, 'default');
      if (binding?.kind !== 'value') continue;
      let plugin = unwrap(binding.node as ts.Expression);
      // fastify-plugin's wrapper: fp(plugin, meta).
      if (
        typescript.isCallExpression(plugin) &&
        plugin.arguments[0] &&
        evaluator.externalRef(plugin.expression)?.module === CONTEXT_SHARING_WRAPPER
      )
        plugin = unwrap(plugin.arguments[0]);
      const ref = evaluator.externalRef(plugin);
      if (ref) out.push(packageName(ref.module));
    }
    return out;
  }

  isAutoload(plugin: ts.Expression): boolean {
    const ref = this.graph.evaluator.externalRef(plugin);
    return ref !== undefined && packageName(ref.module) === AUTOLOAD;
  }

  private build(): Map<ts.Node, PluginUse[]> {
    const { evaluator, callables } = this.graph;
    const index = new Map<ts.Node, PluginUse[]>();
    for (const call of this.graph.callsOf('register')) {
      const callee = call.expression as ts.PropertyAccessExpression;
      const plugin = call.arguments[0];
      if (!plugin) continue;
      const options = call.arguments[1] ? evaluator.objectLiteralOf(call.arguments[1]) : undefined;
      const prefixNode = options ? findProperty(options, 'prefix') : undefined;
      const prefix = prefixNode ? evaluator.stringOrText(prefixNode) : EMPTY;
      if (this.isAutoload(plugin) && options) {
        for (const use of this.autoloadUses(call, callee.expression, options)) push(index, use.fn, use.use);
        continue;
      }
      for (const r of callables.of(plugin))
        push(index, r.fn, { call, receiver: callee.expression, prefix, sharesContext: r.sharesContext });
    }
    return index;
  }

  /** @fastify/autoload: every file under `dir` is a plugin, prefixed by its folder path (and options.prefix). */
  private autoloadUses(
    call: ts.CallExpression,
    receiver: ts.Expression,
    options: ts.ObjectLiteralExpression,
  ): Array<{ fn: ts.Node; use: PluginUse }> {
    const { evaluator, modules, callables } = this.graph;
    const dirNode = findProperty(options, 'dir');
    const dir = dirNode ? this.folderOf(call, dirNode) : undefined;
    if (dir === undefined) return [];
    const nested = findProperty(options, 'options');
    const nestedOptions = nested ? evaluator.objectLiteralOf(nested) : undefined;
    const prefixNode = nestedOptions ? findProperty(nestedOptions, 'prefix') : undefined;
    const base = prefixNode ? evaluator.stringOrText(prefixNode) : EMPTY;
    const out: Array<{ fn: ts.Node; use: PluginUse }> = [];
    const dirNamePrefix = findProperty(options, 'dirNameRoutePrefix');
    const folderPrefixes = !dirNamePrefix || unwrap(dirNamePrefix).kind !== typescript.SyntaxKind.FalseKeyword;
    for (const file of modules.code.files) {
      if (!file.path.startsWith(`${dir}/`) || /\.d\.ts$|\.(test|spec)\.[cm]?[jt]sx?$/.test(file.path)) continue;
      const folder = folderPrefixes ? posix.dirname(file.path.slice(dir.length + 1)) : '.';
      const prefix = { value: `${base.value}/${folder === '.' ? '' : folder}`, exact: base.exact };
      for (const r of callables.ofBinding(modules.exportOf(file, 'default'), 0)) {
        out.push({
          fn: r.fn,
          use: { call, receiver, prefix: r.sharesContext ? base : prefix, sharesContext: r.sharesContext },
        });
      }
    }
    return out;
  }

  /** `join(__dirname, 'routes')`, `path.join(import.meta.dirname, 'routes')`: the folder, as a report path. */
  private folderOf(at: ts.Node, expression: ts.Expression): string | undefined {
    const { evaluator, modules } = this.graph;
    const node = unwrap(expression);
    const parts: string[] = [];
    if (typescript.isCallExpression(node)) {
      for (const arg of node.arguments) {
        const value = evaluator.string(arg);
        if (value?.exact) parts.push(value.value);
      }
    } else {
      const value = evaluator.string(node);
      if (value?.exact) parts.push(value.value.replace(/^\.\//, ''));
    }
    if (parts.length === 0) return undefined;
    return posix.join(posix.dirname(modules.fileFor(at).path), ...parts);
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
