/**
 * Outbound HTTP requests in the services' code (fetch, axios, got, ky, undici, node-fetch), with what
 * names their target as far as the code shows it: the URL or the client's base URL when it evaluates
 * (constants across files, `process.env.X ?? 'http://users:3000'` defaults), the environment variable
 * it is read from, and the name of the client made with that base URL. Which service a target is, is
 * for the reader of the model to decide (src/map); this only says what is written.
 */
import type { ts } from 'ts-morph';
import { valuesWrittenToField } from '../../model/class-fields.js';
import type { OutboundCall } from '../../model/code-http.js';
import type { CodeFile } from '../code/index.js';
import { loadTypeScript } from '../code/ts-morph.js';
import type { Modules } from './modules.js';
import { origin } from './origins.js';
import { type Evaluator, findProperty, unwrap } from './values.js';

const typescript = loadTypeScript();

/** Cheap text test before a file is walked. */
const MENTIONS_HTTP = /\bfetch\b|axios|\bgot\b|undici|\bky\b/;
/** Files that may make a client with a base URL name one of the factories' packages. */
const FACTORY_PACKAGES = /axios|\bgot\b|\bky\b/;
const FETCH_PACKAGES = new Set([
  'node-fetch',
  'cross-fetch',
  'isomorphic-fetch',
  'node-fetch-native',
  '@whatwg-node/fetch',
]);
const VERBS = new Set([
  'get',
  'post',
  'put',
  'patch',
  'delete',
  'head',
  'options',
  'request',
  'postForm',
  'putForm',
  'patchForm',
]);
/** The factories of a client with a base URL, and the option that holds it. */
const FACTORIES: Record<string, { methods: ReadonlySet<string>; option: string }> = {
  axios: { methods: new Set(['create']), option: 'baseURL' },
  got: { methods: new Set(['extend']), option: 'prefixUrl' },
  ky: { methods: new Set(['create', 'extend']), option: 'prefixUrl' },
};

interface Creation {
  client: string;
  base: { url?: string; env?: string };
  name?: string;
  node: ts.CallExpression;
  file: CodeFile;
}

export function collectOutboundCalls(
  sources: readonly CodeFile[],
  modules: Modules,
  evaluator: Evaluator,
): OutboundCall[] {
  const calls: OutboundCall[] = [];
  const creations = new Map<ts.Node, Creation>();
  const target = (expression: ts.Expression | undefined): { url?: string; env?: string } => {
    if (!expression) return {};
    const value = evaluator.string(expression);
    const env = envOf(expression, modules, evaluator, 0);
    return { ...(value ? { url: value.value } : {}), ...(env ? { env } : {}) };
  };
  /** A client made by a factory with a base URL (`axios.create({ baseURL })`), when `expression` is one. */
  const creationOf = (expression: ts.Expression): Creation | undefined => {
    const value = instanceValue(expression, evaluator);
    if (!value || !typescript.isCallExpression(value)) return undefined;
    const known = creations.get(value);
    if (known) return known;
    const ref = evaluator.externalRef(value.expression);
    const factory = ref && FACTORIES[ref.module];
    if (!factory || ref.path.length !== 1 || !factory.methods.has(ref.path[0]!)) return undefined;
    const options = value.arguments[0] ? evaluator.objectLiteralOf(value.arguments[0]) : undefined;
    const base = options ? target(findProperty(options, factory.option)) : {};
    const creation: Creation = {
      client: ref.module,
      base,
      ...nameOf(value),
      node: value,
      file: modules.fileFor(value),
    };
    creations.set(value, creation);
    return creation;
  };

  for (const file of sources) {
    if (file.runtime === 'browser' || !MENTIONS_HTTP.test(file.text.content)) continue;
    const visit = (node: ts.Node): void => {
      if (typescript.isCallExpression(node)) {
        const call = readCall(node);
        if (call) calls.push({ ...call, origin: origin(file, node) });
      }
      typescript.forEachChild(node, visit);
    };
    const readCall = (node: ts.CallExpression): Omit<OutboundCall, 'origin'> | undefined => {
      const callee = unwrap(node.expression);
      const first = node.arguments[0];
      // The global fetch (nothing in scope names it).
      if (typescript.isIdentifier(callee) && callee.text === 'fetch' && !modules.lookup(callee))
        return { client: 'fetch', ...target(first) };
      const ref = evaluator.externalRef(callee);
      if (ref) return packageCall(ref, node);
      // A request through a client made with a base URL: `users.get('/x')`, `this.api.post(…)`, `api('/x')`.
      const instance = typescript.isPropertyAccessExpression(callee)
        ? VERBS.has(callee.name.text)
          ? callee.expression
          : undefined
        : callee;
      if (!instance) return undefined;
      const creation = creationOf(instance);
      if (!creation) return undefined;
      const path = first && !typescript.isObjectLiteralExpression(unwrap(first)) ? evaluator.string(first) : undefined;
      const url = creation.base.url !== undefined ? joinUrl(creation.base.url, path?.value) : undefined;
      const name = clientName(instance) ?? creation.name;
      return {
        client: creation.client,
        ...(url !== undefined ? { url } : {}),
        ...(creation.base.env ? { env: creation.base.env } : {}),
        ...(name ? { clientName: name } : {}),
      };
    };
    const packageCall = (
      ref: { module: string; path: readonly string[] },
      node: ts.CallExpression,
    ): Omit<OutboundCall, 'origin'> | undefined => {
      const first = node.arguments[0];
      const [method, ...rest] = ref.path;
      if (rest.length > 0) return undefined;
      if (FETCH_PACKAGES.has(ref.module) && (method === undefined || method === 'fetch'))
        return { client: 'node-fetch', ...target(first) };
      if (ref.module === 'undici' && (method === 'fetch' || method === 'request'))
        return { client: 'undici', ...target(first) };
      if (ref.module !== 'axios' && ref.module !== 'got' && ref.module !== 'ky') return undefined;
      if (method !== undefined && !VERBS.has(method)) return undefined;
      // axios(config) / axios.request(config): the URL is the config's `url` (after its `baseURL`).
      const config = first ? evaluator.objectLiteralOf(first) : undefined;
      if (config) {
        const base = target(findProperty(config, ref.module === 'axios' ? 'baseURL' : 'prefixUrl'));
        const own = target(findProperty(config, 'url'));
        const url = base.url !== undefined ? joinUrl(base.url, own.url) : own.url;
        const env = base.env ?? own.env;
        return { client: ref.module, ...(url !== undefined ? { url } : {}), ...(env ? { env } : {}) };
      }
      return { client: ref.module, ...target(first) };
    };
    visit(file.tree);
  }
  // A client with a base URL whose requests could not be followed (passed around, used through a parameter): its creation.
  for (const file of sources) {
    if (
      file.runtime === 'browser' ||
      !FACTORY_PACKAGES.test(file.text.content) ||
      !/\b(?:create|extend)\s*\(/.test(file.text.content)
    )
      continue;
    const visit = (node: ts.Node): void => {
      if (typescript.isCallExpression(node) && !creations.has(node)) {
        const ref = evaluator.externalRef(node.expression);
        const factory = ref && FACTORIES[ref.module];
        if (factory && ref.path.length === 1 && factory.methods.has(ref.path[0]!)) {
          const options = node.arguments[0] ? evaluator.objectLiteralOf(node.arguments[0]) : undefined;
          const base = options ? target(findProperty(options, factory.option)) : {};
          const name = nameOf(node).name;
          if (base.url !== undefined || base.env)
            calls.push({
              client: ref.module,
              ...base,
              ...(name ? { clientName: name } : {}),
              origin: origin(file, node),
            });
        }
      }
      typescript.forEachChild(node, visit);
    };
    visit(file.tree);
  }
  return calls.sort(
    (a, b) =>
      (a.origin.file < b.origin.file ? -1 : a.origin.file > b.origin.file ? 1 : 0) ||
      (a.origin.range?.start ?? 0) - (b.origin.range?.start ?? 0),
  );
}

/** What a client expression stands for: through `const`s and imports, and `this.x` assigned in its class. */
function instanceValue(expression: ts.Expression, evaluator: Evaluator): ts.Expression | undefined {
  const node = unwrap(expression);
  if (typescript.isPropertyAccessExpression(node) && node.expression.kind === typescript.SyntaxKind.ThisKeyword) {
    // A property initializer first, else the first `this.<name> = …` in a member.
    const assigned = valuesWrittenToField(typescript, node)[0];
    return assigned ? evaluator.valueOf(assigned) : undefined;
  }
  return evaluator.valueOf(node);
}

/** The name a creation is held by: `const usersApi = axios.create(…)`, `this.billing = …`, `billing: axios.create(…)`. */
function nameOf(node: ts.Node): { name?: string } {
  const parent = node.parent;
  if (!parent) return {};
  if (typescript.isVariableDeclaration(parent) && typescript.isIdentifier(parent.name))
    return { name: parent.name.text };
  if (typescript.isPropertyDeclaration(parent) || typescript.isPropertyAssignment(parent))
    return { name: parent.name.getText() };
  if (
    typescript.isBinaryExpression(parent) &&
    parent.operatorToken.kind === typescript.SyntaxKind.EqualsToken &&
    typescript.isPropertyAccessExpression(parent.left)
  )
    return { name: parent.left.name.text };
  if (typescript.isParenthesizedExpression(parent) || typescript.isAsExpression(parent)) return nameOf(parent);
  return {};
}

/** The name of the client a request goes through: `users` of `users.get(…)`, `billingApi` of `this.billingApi.post(…)`. */
function clientName(expression: ts.Expression): string | undefined {
  const node = unwrap(expression);
  if (typescript.isIdentifier(node)) return node.text;
  if (typescript.isPropertyAccessExpression(node)) return node.name.text;
  return undefined;
}

/** A base URL and a path joined as the client would (`http://users:3000/api` + `/x`). */
function joinUrl(base: string, path: string | undefined): string {
  if (path === undefined || path === '') return base;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) return path;
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/**
 * The environment variable a URL expression is read from: `process.env.USERS_URL`, `process.env['X']`,
 * `import.meta.env.X`, `config.get('USERS_URL')` (Nest's ConfigService and the like), through `const`s,
 * object properties, defaults (`?? 'http://…'`), template heads and `+`.
 */
function envOf(expression: ts.Expression, modules: Modules, evaluator: Evaluator, depth: number): string | undefined {
  if (depth > 8) return undefined;
  const node = unwrap(expression);
  if (typescript.isPropertyAccessExpression(node) || typescript.isElementAccessExpression(node)) {
    const name = typescript.isPropertyAccessExpression(node)
      ? node.name.text
      : typescript.isStringLiteralLike(node.argumentExpression)
        ? node.argumentExpression.text
        : undefined;
    const object = node.expression.getText();
    if (name && /(?:^|\.)env$/.test(object)) return name;
    if (name) {
      const literal = evaluator.objectLiteralOf(node.expression);
      const property = literal ? findProperty(literal, name) : undefined;
      return property ? envOf(property, modules, evaluator, depth + 1) : undefined;
    }
    return undefined;
  }
  if (typescript.isCallExpression(node)) {
    const callee = node.expression;
    const arg = node.arguments[0];
    if (
      typescript.isPropertyAccessExpression(callee) &&
      /^(?:get|getOrThrow|getString|require)$/.test(callee.name.text) &&
      arg &&
      typescript.isStringLiteralLike(arg) &&
      /^[A-Z][A-Z0-9_]*$/.test(arg.text)
    )
      return arg.text;
    return undefined;
  }
  if (typescript.isBinaryExpression(node)) {
    const kind = node.operatorToken.kind;
    if (
      kind === typescript.SyntaxKind.QuestionQuestionToken ||
      kind === typescript.SyntaxKind.BarBarToken ||
      kind === typescript.SyntaxKind.PlusToken
    )
      return envOf(node.left, modules, evaluator, depth + 1);
    return undefined;
  }
  if (typescript.isTemplateExpression(node)) {
    const span = node.templateSpans[0];
    return node.head.text === '' && span ? envOf(span.expression, modules, evaluator, depth + 1) : undefined;
  }
  if (typescript.isIdentifier(node)) {
    const binding = modules.lookup(node);
    return binding?.kind === 'value' ? envOf(binding.node, modules, evaluator, depth + 1) : undefined;
  }
  return undefined;
}
