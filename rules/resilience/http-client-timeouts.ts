import type { ts as TypeScript } from 'ts-morph';
import { defineRule, type CodeFile, type Origin } from '../../src/rule-api.js';
import { httpClients, type ClientKind, type HttpClients } from './_lib/clients.js';
import { deadlineIn, skipOuter, type Deadline } from './_lib/options.js';

type MessageId = 'fetch' | 'axiosInstance' | 'axiosCall' | 'gotInstance' | 'gotCall' | 'undici' | 'kyDisabled';

/** Cheap text test before a file is walked. */
const MENTIONS_HTTP = /\bfetch\b|axios|\bgot\b|undici|\bky\b/;
/** Tests and mocks call fake servers: a missing deadline there hangs a test, not production. */
const TEST_CODE = /(^|\/)(__tests__|__mocks__|tests?|spec|e2e)\/|\.(test|spec|e2e-spec|e2e)\.[cm]?[jt]sx?$/i;
/**
 * Browser code: the user's tab waits, not a server's workers, and the user can cancel. Components
 * (.tsx/.jsx), client-only / frontend folders, 'use client' modules, modules of a front-end framework,
 * Vite client env or the DOM.
 */
const COMPONENT_FILE = /\.[jt]sx$|(^|\/)(client-only|frontend|browser)\/|(^|\/)[\w-]+-(web|frontend)\//i;
const BROWSER_CODE =
  /^\s*['"]use client['"]|from\s+['"](react|react-dom|vue|svelte|preact|solid-js|@angular\/[\w-]+|prosemirror-[\w-]+|@tiptap\/[\w-]+)['"/]|\bimport\.meta\.env\.VITE_|\bwindow\.\w|\bdocument\.(createElement|querySelector|getElementById|body|cookie)\b/m;

const AXIOS_CONFIG_AT: ReadonlyMap<string, number> = new Map([
  ['get', 1], ['delete', 1], ['head', 1], ['options', 1],
  ['post', 2], ['put', 2], ['patch', 2], ['postForm', 2], ['putForm', 2], ['patchForm', 2],
  ['request', 0],
]);
const GOT_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'stream', 'paginate']);
const KY_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'create', 'extend']);

/** What gives each client a deadline. axios: `timeout` (0 = none) or a `signal`; fetch: a `signal`. */
const DEADLINE_KEYS: Record<ClientKind, readonly string[]> = {
  fetch: ['signal'],
  'node-fetch': ['signal', 'timeout'],
  'undici-fetch': ['signal', 'dispatcher'],
  'undici-request': ['signal', 'headersTimeout', 'bodyTimeout', 'dispatcher'],
  axios: ['timeout', 'signal', 'cancelToken'],
  got: ['timeout', 'signal'],
  ky: ['timeout'],
};

interface Hit {
  node: TypeScript.Node;
  messageId: MessageId;
  data: Record<string, string>;
}

export default defineRule<MessageId>({
  meta: {
    id: 'resilience/http-client-timeouts',
    title: 'Outbound HTTP calls have a deadline',
    severity: 'warning',
    requires: ['code'],
    scope: 'file',
    tags: ['resilience', 'http'],
    why:
      'Neither `fetch` nor axios nor got gives up on a slow server by default: a request to a service that accepts the ' +
      'connection and never answers waits for ever. Each waiting request holds its caller: an open connection, memory, a ' +
      'database transaction, a worker. When one dependency slows down, requests pile up behind it until the caller runs out ' +
      'of sockets or memory and fails too — one slow service brings down everything that calls it. A deadline turns the hang ' +
      'into a fast, handled error (retry, fallback, 503).',
    fix:
      'Give every outbound call a deadline shorter than your own: `fetch(url, { signal: AbortSignal.timeout(5_000) })`; ' +
      '`axios.create({ baseURL, timeout: 5_000 })` once per service (or `axios.defaults.timeout` for the module); ' +
      '`got(url, { timeout: { request: 5_000 } })` or `got.extend({ timeout })`; undici `request(url, { headersTimeout, ' +
      'bodyTimeout })`. Not reported: calls through an instance created with a timeout, a `signal` from ' +
      '`AbortSignal.timeout(…)` or an AbortController, options spread from elsewhere (not knowable here), ky (10 s by ' +
      'default) unless `timeout: false`, tests, and browser code (components, "use client" and front-end framework modules).',
    examples: {
      bad: [
        {
          description: 'A fetch with no signal, and an axios instance with no timeout',
          files: {
            'src/clients.ts':
              "import axios from 'axios';\n\n" +
              "export const inventory = axios.create({ baseURL: 'http://inventory.internal' });\n\n" +
              'export async function getRates() {\n' +
              "  const res = await fetch('https://rates.example.com/latest', { headers: { accept: 'application/json' } });\n" +
              '  return res.json();\n' +
              '}\n',
          },
        },
      ],
      good: [
        {
          description: 'A timeout signal on fetch, a timeout on the axios instance',
          files: {
            'src/clients.ts':
              "import axios from 'axios';\n\n" +
              "export const inventory = axios.create({ baseURL: 'http://inventory.internal', timeout: 3_000 });\n\n" +
              'export async function getRates() {\n' +
              "  const res = await fetch('https://rates.example.com/latest', { signal: AbortSignal.timeout(5_000) });\n" +
              '  return res.json();\n' +
              '}\n',
          },
        },
      ],
    },
    messages: {
      fetch: '{{callee}}({{target}}) has no deadline: pass `signal: AbortSignal.timeout(ms)` in its options',
      axiosInstance: 'axios.create(…) makes {{client}} with no timeout: every request through it can wait for ever. Set `timeout`',
      axiosCall: '{{callee}}({{target}}) has no timeout, and axios.defaults.timeout is not set in this module',
      gotInstance: 'got.extend(…) makes {{client}} with no timeout: every request through it can wait for ever. Set `timeout`',
      gotCall: '{{callee}}({{target}}) has no timeout: got waits for ever by default. Pass `timeout: { request: ms }`',
      undici:
        "{{callee}}({{target}}) sets no headersTimeout, bodyTimeout or signal: it waits up to undici's 300 s defaults per phase",
      kyDisabled: '{{callee}}({{target}}) turns ky\'s timeout off (`timeout: false`): the request can wait for ever',
    },
  },

  async check(ctx) {
    const candidates = ctx.code.files.filter(
      (file) =>
        !TEST_CODE.test(file.path) &&
        !COMPONENT_FILE.test(file.path) &&
        MENTIONS_HTTP.test(file.text.content) &&
        !BROWSER_CODE.test(file.text.content),
    );
    if (candidates.length === 0) return;
    const ts = ctx.code.ts;
    for (const file of candidates) {
      for (const hit of fileHits(ts, file)) {
        ctx.report({ at: originOf(file, hit.node), messageId: hit.messageId, data: hit.data });
      }
    }
  },
});

/**
 * The calls to check, found from the text: each place a client's name is written (`fetch`, `axios`,
 * `got`, an undici import …) is looked up in the tree by descending to it, instead of walking every
 * node of every file — on a tree where every file calls fetch that halves the rule's time.
 */
function fileHits(ts: typeof TypeScript, file: CodeFile): Hit[] {
  const source = file.sourceFile.compilerNode;
  const clients = httpClients(ts, source);
  const text = file.text.content;
  const names = [...clients.names.keys(), ...clients.undiciNamespaces, 'globalThis', 'global'];
  const written = new RegExp(`(?<![\\w$.])(?:${names.map((name) => name.replace(/\$/g, '\\$')).join('|')})(?![\\w$])`, 'g');
  const checked = new Set<TypeScript.CallExpression>();
  const hits: Hit[] = [];
  for (const match of text.matchAll(written)) {
    const call = callNamedAt(ts, source, match.index);
    if (!call || checked.has(call)) continue;
    checked.add(call);
    const hit = checkCall(ts, call, clients, text, source);
    if (hit) hits.push(hit);
  }
  return hits;
}

/** The call whose callee is the identifier starting at `offset` (`fetch(…)`) or its receiver (`axios.get(…)`). */
function callNamedAt(ts: typeof TypeScript, source: TypeScript.SourceFile, offset: number): TypeScript.CallExpression | undefined {
  let node: TypeScript.Node = source;
  for (;;) {
    const child: TypeScript.Node | undefined = ts.forEachChild(node, (c) => (c.pos <= offset && offset < c.end ? c : undefined));
    if (!child) break;
    node = child;
  }
  if (!ts.isIdentifier(node) || node.getStart(source) !== offset) return undefined; // in a comment or a string
  const parent = node.parent;
  if (ts.isCallExpression(parent) && parent.expression === node) return parent;
  if (ts.isPropertyAccessExpression(parent) && parent.expression === node && ts.isCallExpression(parent.parent) && parent.parent.expression === parent) {
    return parent.parent;
  }
  return undefined;
}

function checkCall(ts: typeof TypeScript, call: TypeScript.CallExpression, clients: HttpClients, text: string, source: TypeScript.SourceFile): Hit | undefined {
  const callee = call.expression;
  const args = call.arguments;
  const data = (extra: Record<string, string> = {}) => ({ callee: callee.getText(source), target: target(args[0], source), ...extra });

  if (ts.isIdentifier(callee)) {
    const kind = clients.names.get(callee.text);
    if (!kind || isParameter(ts, call, callee.text)) return undefined;
    if (kind === 'fetch' || kind === 'node-fetch' || kind === 'undici-fetch') return fetchHit(ts, call, kind, data());
    if (kind === 'axios') {
      const config = args[0] && isUrl(ts, args[0]) ? args[1] : args[0];
      return axiosCallHit(ts, call, clients, text, config, data());
    }
    if (kind === 'got') {
      const options = args[0] && isUrl(ts, args[0]) ? args[1] : args[0];
      return deadlineIn(ts, options, DEADLINE_KEYS.got) === 'missing' ? { node: call, messageId: 'gotCall', data: data() } : undefined;
    }
    if (kind === 'undici-request') {
      return deadlineIn(ts, args[1], DEADLINE_KEYS['undici-request']) === 'missing' ? { node: call, messageId: 'undici', data: data() } : undefined;
    }
    if (kind === 'ky') return deadlineIn(ts, args[1], DEADLINE_KEYS.ky) === 'disabled' ? { node: call, messageId: 'kyDisabled', data: data() } : undefined;
    return undefined;
  }

  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression)) return undefined;
  const receiver = callee.expression.text;
  const method = callee.name.text;
  if ((receiver === 'globalThis' || receiver === 'global') && method === 'fetch') return fetchHit(ts, call, 'fetch', data());
  if (clients.undiciNamespaces.has(receiver)) {
    if (method === 'fetch') return fetchHit(ts, call, 'undici-fetch', data());
    if (method === 'request' && deadlineIn(ts, args[1], DEADLINE_KEYS['undici-request']) === 'missing') return { node: call, messageId: 'undici', data: data() };
    return undefined;
  }
  const kind = clients.names.get(receiver);
  if (kind === 'axios') {
    if (method === 'create') {
      if (defaultsTimeoutSet(text, receiver)) return undefined;
      const client = boundName(ts, call, source);
      if (client && defaultsTimeoutSet(text, client)) return undefined;
      return deadlineIn(ts, args[0], DEADLINE_KEYS.axios) === 'missing'
        ? { node: call, messageId: 'axiosInstance', data: data({ client: client ? `\`${client}\`` : 'a client' }) }
        : undefined;
    }
    const at = AXIOS_CONFIG_AT.get(method);
    return at === undefined ? undefined : axiosCallHit(ts, call, clients, text, args[at], data());
  }
  if (kind === 'got') {
    if (method === 'extend') {
      const set = args.some((arg) => deadlineIn(ts, arg, DEADLINE_KEYS.got) !== 'missing');
      const client = boundName(ts, call, source);
      return set ? undefined : { node: call, messageId: 'gotInstance', data: data({ client: client ? `\`${client}\`` : 'a client' }) };
    }
    if (!GOT_METHODS.has(method)) return undefined;
    const options = args[0] && isUrl(ts, args[0]) ? args[1] : args[0];
    return deadlineIn(ts, options, DEADLINE_KEYS.got) === 'missing' ? { node: call, messageId: 'gotCall', data: data() } : undefined;
  }
  if (kind === 'ky' && KY_METHODS.has(method)) {
    const options = method === 'create' || method === 'extend' ? args[0] : args[1];
    return deadlineIn(ts, options, DEADLINE_KEYS.ky) === 'disabled' ? { node: call, messageId: 'kyDisabled', data: data() } : undefined;
  }
  return undefined;
}

function fetchHit(ts: typeof TypeScript, call: TypeScript.CallExpression, kind: ClientKind, data: Record<string, string>): Hit | undefined {
  const [input, init] = call.arguments;
  if (!input) return undefined;
  const deadline: Deadline = deadlineIn(ts, init, DEADLINE_KEYS[kind]);
  if (deadline !== 'missing') return undefined;
  // fetch(request): a Request object carries its own signal.
  if (!init && !isUrl(ts, input)) {
    const value = skipOuter(ts, input);
    if (ts.isNewExpression(value) && ts.isIdentifier(value.expression) && value.expression.text === 'Request') {
      if (deadlineIn(ts, value.arguments?.[1], ['signal']) !== 'missing') return undefined;
    } else if (!ts.isIdentifier(value) || /req(uest)?$/i.test(value.text)) {
      return undefined;
    }
  }
  return { node: call, messageId: 'fetch', data };
}

function axiosCallHit(
  ts: typeof TypeScript,
  call: TypeScript.CallExpression,
  clients: HttpClients,
  text: string,
  config: TypeScript.Node | undefined,
  data: Record<string, string>,
): Hit | undefined {
  if ([...clients.names].some(([name, kind]) => kind === 'axios' && defaultsTimeoutSet(text, name))) return undefined;
  return deadlineIn(ts, config, DEADLINE_KEYS.axios) === 'missing' ? { node: call, messageId: 'axiosCall', data } : undefined;
}

/** `axios.defaults.timeout = 5000` / `client.defaults.timeout = …` anywhere in the module (0 means none). */
function defaultsTimeoutSet(text: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\w$.])${escaped}\\.defaults\\.timeout\\s*=(?!=)\\s*(?!0\\b|undefined\\b|null\\b)`).test(text);
}

/** What the created client is called: `const shipping = axios.create(…)`, `this.http = …`, a class field. */
function boundName(ts: typeof TypeScript, call: TypeScript.CallExpression, source: TypeScript.SourceFile): string | undefined {
  let node: TypeScript.Node = call;
  while (node.parent && (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent))) node = node.parent;
  const parent = node.parent;
  if (!parent) return undefined;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (ts.isPropertyDeclaration(parent) && ts.isIdentifier(parent.name)) return `this.${parent.name.text}`;
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) return parent.left.getText(source);
  if (ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return undefined;
}

/** A URL-ish first argument (string, template, `new URL(…)`, a name like `url`), as opposed to an options object. */
function isUrl(ts: typeof TypeScript, node: TypeScript.Node): boolean {
  const value = skipOuter(ts, node);
  if (ts.isStringLiteralLike(value) || ts.isTemplateExpression(value) || ts.isBinaryExpression(value)) return true;
  if (ts.isNewExpression(value)) return ts.isIdentifier(value.expression) && value.expression.text === 'URL';
  if (ts.isIdentifier(value) || ts.isPropertyAccessExpression(value)) return /(url|uri|endpoint|href|path|link)$/i.test(value.getText());
  return ts.isCallExpression(value);
}

/** `function f(fetch) { fetch(…) }` / `({ fetch }) => fetch(…)`: an injected fetch, not the global one. */
function isParameter(ts: typeof TypeScript, node: TypeScript.Node, name: string): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (!ts.isFunctionLike(current)) continue;
    for (const parameter of current.parameters) if (bindsName(ts, parameter.name, name)) return true;
  }
  return false;
}

function bindsName(ts: typeof TypeScript, binding: TypeScript.BindingName, name: string): boolean {
  if (ts.isIdentifier(binding)) return binding.text === name;
  return binding.elements.some((element) => !ts.isOmittedExpression(element) && bindsName(ts, element.name, name));
}

function target(arg: TypeScript.Node | undefined, source: TypeScript.SourceFile): string {
  if (!arg) return '';
  const text = arg.getText(source).replace(/\s+/g, ' ');
  return text.length > 50 ? `${text.slice(0, 47)}…` : text;
}

/** Like nodeOrigin, for a compiler node (the walk uses TypeScript's own nodes: ts-morph wrappers cost more than the walk). */
function originOf(file: CodeFile, node: TypeScript.Node): Origin {
  const source = file.sourceFile.compilerNode;
  return { file: file.path, range: { start: node.getStart(source), end: node.getEnd() } };
}
