/**
 * What the code shows about who calls a service (read for Endpoint.firstParty, decided in
 * src/model/endpoint-roles.ts):
 *
 * - the paths the repository's own user-interface code names (`fetch('/api/apps/guest')`, `` api.get(`/apps/${id}`) ``,
 *   a client generated into the front-end package): the project's own UI calls those routes;
 * - the first place the service's code reads a credential a third party would hold from the request — an
 *   `Authorization` header (a bearer token, basic auth), an API key or token header or query parameter, a
 *   bearer or API-key strategy or scheme. A service that reads none authenticates its callers some other way
 *   (a session cookie set by its own login page) or not at all: no client of its own can call it;
 * - of those, the first that is a key handed out for programs — an API-key header or query parameter, an API-key
 *   strategy, basic auth, a security scheme the served Swagger document declares — rather than the bearer token a
 *   single-page app keeps after its user signs in: only a key says that programs other than the UI call the service.
 *
 * Read from the text, as written; the service's code is what its files import (Reach).
 */
import type { CallerEvidence } from '../../model/endpoint-roles.js';
import type { Endpoint, Service } from '../../model/http.js';
import type { CodeFile } from '../code/index.js';
import type { Reach } from './reach.js';
import { serviceRootFiles } from './service-facts.js';

/** Quoted strings and template literals that may be a path: start at `/` or hold `/api/`. */
const STRING = /(['"`])((?:\\.|(?!\1)[^\\\n])*)\1/g;
/** A `${…}` substitution, possibly nested one level. */
const SUBSTITUTION = /\$\{(?:[^{}]|\{[^{}]*\})*\}/g;

/**
 * The paths browser code names, as segment lists: a substitution or a `:name`/`{name}` parameter becomes `*`,
 * a query string and a trailing slash are dropped. Strings with a scheme or host (`https://…`) name other servers.
 */
export function pathsNamedByInterfaceCode(files: readonly CodeFile[]): string[][] {
  return pathsNamedBy(files.filter(isInterfaceCode));
}

/**
 * The paths a command-line program of the repository names (CodeFile.reach `cli`: a package's `bin`, a script people
 * run): a client installed and run apart from the server (`hemmelig` posting to `/api/secret`), so the routes it calls
 * have clients that are not deployed with them.
 */
export function pathsNamedByCommandLineCode(files: readonly CodeFile[]): string[][] {
  return pathsNamedBy(files.filter((file) => !isInterfaceCode(file) && file.reach === 'cli'));
}

function pathsNamedBy(files: readonly CodeFile[]): string[][] {
  const found = new Map<string, string[]>();
  for (const file of files) {
    for (const match of file.text.content.matchAll(STRING)) {
      const segments = pathSegments(match[2]!);
      if (segments) found.set(segments.join('/'), segments);
    }
  }
  return [...found.values()];
}

/**
 * Code of a user interface: it runs in the browser (runtime.ts), is reached only from a page, or is a JSX component
 * (`.tsx`/`.jsx`: a server-rendering framework's pages run on both sides, and still are the project's UI).
 */
function isInterfaceCode(file: CodeFile): boolean {
  return file.runtime === 'browser' || /\.[jt]sx$/.test(file.path) || file.reach === 'browser';
}

function pathSegments(raw: string): string[] | undefined {
  const value = raw.replace(SUBSTITUTION, '*').split(/[?#]/)[0]!;
  if (!/^\*?\/[\w*:{-]/.test(value) || /\s/.test(value) || value.includes('//')) return undefined;
  const segments = value
    .split('/')
    .filter((s) => s !== '')
    .map((s) => (s.startsWith(':') || /^\{[^}]*\}$/.test(s) || s.includes('*') ? '*' : s));
  // A leading substitution is a base URL (`${API}/apps`): what follows is the path.
  if (segments[0] === '*') segments.shift();
  // A file (`/logo.svg`) or a bare parameter names no route.
  if (segments.length === 0 || segments.every((s) => s === '*') || /\.\w{2,5}$/.test(segments.at(-1)!))
    return undefined;
  return segments;
}

/**
 * Inbound reads of a credential a third party would hold. Assignments (`headers.Authorization = …`, an outbound
 * request being built) are not reads: the pattern asks for no `=` after the name unless it is a comparison.
 */
const CREDENTIAL_READS: readonly RegExp[] = [
  // `req.headers.authorization`, `request.headers['x-api-key']`, `ctx.headers['x-auth-token']`
  /\b(?:req|request|ctx|context|event|c\.req|c\.request)\.headers?\s*(?:\.|\[\s*['"`])(?:authorization[\w-]*|x-api-key|api-key|apikey|x-api-token|x-auth-token|x-access-token)\b(?!['"`]?\s*\]?\s*=[^=])/i,
  // `req.header('Authorization')`, `ctx.get('x-api-key')`, `c.req.header('authorization')`, h3 `getHeader(event, 'authorization')`
  /\b(?:header|get|getHeader|headers\.get)\(\s*(?:\w+\s*,\s*)?['"`](?:authorization[\w-]*|x-api-key|api-key|apikey|x-api-token|x-auth-token|x-access-token)['"`]\s*\)/i,
  // `const { authorization } = request.headers`, `const { 'x-api-key': key } = req.headers` (destructured)
  /\{[^{}]{0,300}?(?<![\w-])['"`]?(?:authorization|x-api-key|api-key|apikey|x-api-token|x-auth-token|x-access-token)['"`]?(?=\s*[:,}])[^{}]{0,300}?\}\s*=\s*(?:req|request|ctx|context|event|c\.req)\.headers\b/i,
  // `req.query.apiKey`, `req.query.api_key`, `req.query.token`
  /\b(?:req|request|ctx|c\.req)\.query\s*(?:\.|\[\s*['"`])(?:api_?key|apikey|access_?token|token)\b/i,
  // passport-jwt `ExtractJwt.fromAuthHeaderAsBearerToken()`, bearer / API-key strategies, Nest Swagger schemes
  /\bfromAuthHeader\w*\(|\bfromHeader\(\s*['"`](?:authorization|x-api-key)|passport-http-bearer|passport-headerapikey|HeaderAPIKeyStrategy|@ApiBearerAuth\b|@ApiSecurity\b|\.addBearerAuth\(|\.addApiKey\(|\bbearerAuth\(|\bbasicAuth\(/i,
];

/**
 * Of the reads above, those of a key handed out for programs: an API-key header or query parameter, an API-key
 * strategy, basic auth (a fixed user and password a script sends), a security scheme of the Swagger document the
 * service serves (it tells outsiders how to call it). An `Authorization: Bearer` token or an `x-access-token` is also
 * what a single-page app sends after its user signs in, so it says nothing of who else calls.
 */
const KEY_READS: readonly RegExp[] = [
  /\b(?:req|request|ctx|context|event|c\.req|c\.request)\.headers?\s*(?:\.|\[\s*['"`])(?:x-api-key|api-key|apikey|x-api-token)\b(?!['"`]?\s*\]?\s*=[^=])/i,
  /\b(?:header|get|getHeader|headers\.get)\(\s*(?:\w+\s*,\s*)?['"`](?:x-api-key|api-key|apikey|x-api-token)['"`]\s*\)/i,
  /\{[^{}]{0,300}?(?<![\w-])['"`]?(?:x-api-key|api-key|apikey|x-api-token)['"`]?(?=\s*[:,}])[^{}]{0,300}?\}\s*=\s*(?:req|request|ctx|context|event|c\.req)\.headers\b/i,
  /\b(?:req|request|ctx|c\.req)\.query\s*(?:\.|\[\s*['"`])(?:api_?key|apikey)\b/i,
  /\bfromHeader\(\s*['"`]x-api-key|passport-headerapikey|HeaderAPIKeyStrategy|@ApiBearerAuth\b|@ApiSecurity\b|\.addBearerAuth\(|\.addApiKey\(|\bbasicAuth\(/i,
];

/** The first inbound credential read in `files` (server code only), as written, or undefined when none is seen. */
export function thirdPartyCredential(files: Iterable<CodeFile>): string | undefined {
  return firstRead(files, CREDENTIAL_READS);
}

/** The first read of a key handed out for programs (KEY_READS) in `files` (server code only), as written. */
export function programKeyCredential(files: Iterable<CodeFile>): string | undefined {
  return firstRead(files, KEY_READS);
}

function firstRead(files: Iterable<CodeFile>, patterns: readonly RegExp[]): string | undefined {
  for (const file of files) {
    if (file.runtime === 'browser') continue;
    const text = file.text.content;
    if (!/authori[sz]ation|api[-_]?key|token|bearer|basic/i.test(text)) continue;
    for (const pattern of patterns) {
      const match = pattern.exec(text);
      if (match) return `${match[0].trim()} (${file.path})`;
    }
  }
  return undefined;
}

/**
 * Per code service, what its code shows of its callers: the files that declare it and its routes, what they import,
 * and every other file of its package (`packageDirs`: the folders holding a package.json) — a router whose mount
 * archlint does not see (an API-key API beside the UI's routes) is still the package's.
 */
export function callerEvidence(
  services: readonly Service[],
  endpoints: readonly Endpoint[],
  reach: Reach,
  sources: readonly CodeFile[],
  packageDirs: readonly string[],
): Map<string, CallerEvidence> {
  const roots = serviceRootFiles(services, endpoints);
  const evidence = new Map<string, CallerEvidence>();
  const dirs = new Set(packageDirs);
  /** The nearest folder above a file that holds a package.json ('' for the root). */
  const packageOf = (file: string): string | undefined => {
    for (let cut = file.lastIndexOf('/'); cut > 0; cut = file.lastIndexOf('/', cut - 1))
      if (dirs.has(file.slice(0, cut))) return file.slice(0, cut);
    return dirs.has('') ? '' : undefined;
  };
  const byPackage = new Map<string, CodeFile[]>();
  for (const file of sources) {
    const dir = packageOf(file.path);
    if (dir === undefined) continue;
    const list = byPackage.get(dir);
    if (list) list.push(file);
    else byPackage.set(dir, [file]);
  }
  for (const [id, files] of roots) {
    const own = packageOf([...files][0]!);
    const inPackage = own === undefined ? [] : (byPackage.get(own) ?? []);
    const code = [...reach.filesFrom(files), ...inPackage];
    const credential = thirdPartyCredential(code);
    const programKey = credential === undefined ? undefined : programKeyCredential(code);
    evidence.set(id, { ...(credential === undefined ? {} : { credential }), ...(programKey ? { programKey } : {}) });
  }
  return evidence;
}
