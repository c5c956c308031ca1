/**
 * Repositories that reach no database (CodeModel.remoteRepositories): in a ports-and-adapters service a
 * `ChainsRepository` or `TokenRepository` is often the domain's door to another service's HTTP API — its
 * methods call `this.configApi.getChain(…)` or `this.transactionApiManager.getApi(…)`, cached or not, and
 * that service has no batch endpoint. A call to it inside a loop is one HTTP request per element, not a
 * query per element: perf/no-n-plus-one recognises repository calls by name (`this.chainsRepository.getChain`)
 * and asks this fact before it calls one a database round trip.
 *
 * A class counts only on positive evidence, judged over the whole tree (the class and its callers are in
 * different files): it is named `…Repository`/`…Repo`, extends nothing (a base class may be an ORM's
 * repository), makes no data-layer call anywhere in its body, holds no database-like collaborator (a
 * client, pool, ORM manager, model, store, cache), and holds an API client (`…Api`, `…ApiManager`,
 * `…ApiFactory`, `httpService`…) or calls `fetch`/`axios` itself. A repository whose collaborators are other
 * repositories counts when all of those do. An interface (`IChainsRepository`, the injection token and the
 * type callers declare) counts when every class of the tree that implements it counts. Anything else —
 * unknown, mixed, or named otherwise — is not in the set, and the call stays a data call.
 *
 * The set also names single methods, `Class.method`, of any repository class: those declared synchronous (no
 * `async`, an explicit return type that is not a promise) whose body makes no data-layer call and calls nothing
 * on a member or a database-like name (`static getActivityTypes(options): ActivityTypeSettings`, computed from
 * the request's options): a synchronous call cannot wait for a database.
 */
import type { ts as TypeScript } from 'ts-morph';
import type { CodeModel } from '../../model/code.js';
import { chainAt } from '../../model/call-chains.js';
import { dataCall, fileFacts } from '../../model/data-calls.js';
import { declaredType } from '../../model/repositories.js';

/** A file that may declare a repository class (a cheap test before parsing). */
const DECLARES_REPOSITORY = /\bclass\s+\w*(?:Repository|Repo)\b/;
const REPOSITORY_NAME = /(?:Repository|Repo)$/;
/**
 * A collaborator that talks to another service over HTTP, by the words of its name or type: `configApi`,
 * `ITransactionApiManager`, `ISwapsApiFactory`, `httpService`, `networkService`.
 */
const API_WORDS =
  /^(?:.*\bapi(?: (?:manager|factory|service|client))?|.*\bhttp(?: (?:service|client))?|.*\bnetwork service|.*\bsdk)$/;
/** Words of a collaborator that talks to a database, a cache or a store: its presence makes the class a data-layer one. */
const DATABASE_WORDS = new Set([
  'prisma',
  'knex',
  'kysely',
  'drizzle',
  'sequelize',
  'mongoose',
  'mongo',
  'typeorm',
  'datasource',
  'manager',
  'runner',
  'pool',
  'connection',
  'db',
  'database',
  'sql',
  'orm',
  'model',
  'collection',
  'store',
  'dao',
  'cache',
  'redis',
  'client',
  'em',
  'tx',
  'trx',
  'entity',
]);
/** Outbound HTTP made by the class itself. */
const HTTP_CALL = /\bfetch\(|\baxios\b|\bgot\(|\bky\(|\bundici\b/;

interface RepositoryClass {
  name: string;
  implements: string[];
  /** Repository collaborators (by declared type, else by property name), judged by the fixed point. */
  repositories: string[];
  /** Evidence so far: 'remote' (an API client, no database), 'database' (a data call or a database-like collaborator), or 'neutral'. */
  verdict: 'remote' | 'database' | 'neutral';
  /** Methods declared synchronous (no `async`, a return type that is not a promise) whose body makes no data-layer call. */
  synchronous: string[];
}

export function judgeRemoteRepositories(code: CodeModel): Set<string> {
  const classes: RepositoryClass[] = [];
  for (const file of code.files) {
    if (!DECLARES_REPOSITORY.test(file.text.content)) continue;
    const ts = code.ts;
    const tree = file.tree;
    const facts = fileFacts(ts, tree);
    const visit = (node: TypeScript.Node): void => {
      if (ts.isClassDeclaration(node) && node.name && REPOSITORY_NAME.test(node.name.text)) {
        classes.push(judgeClass(ts, node, tree, facts));
      }
      ts.forEachChild(node, visit);
    };
    visit(tree);
  }

  // Repositories built on other repositories: remote when every one they hold is (a fixed point over the tree).
  const remote = new Set<string>();
  const implementers = new Map<string, RepositoryClass[]>();
  for (const c of classes) for (const i of c.implements) implementers.set(i, [...(implementers.get(i) ?? []), c]);
  const isRemote = (name: string): boolean =>
    remote.has(name) || (implementers.get(name)?.every((c) => remote.has(c.name)) ?? false);
  for (let changed = true; changed; ) {
    changed = false;
    for (const c of classes) {
      if (remote.has(c.name) || c.verdict === 'database') continue;
      const held = c.repositories;
      if (held.length > 0 && !held.every(isRemote)) continue;
      if (c.verdict !== 'remote' && held.length === 0) continue;
      remote.add(c.name);
      changed = true;
    }
  }
  // A class name declared twice (two packages) counts only when every declaration does.
  for (const c of classes) if (!remote.has(c.name) || c.verdict === 'database') remote.delete(c.name);
  for (const [name, list] of implementers) if (list.every((c) => remote.has(c.name))) remote.add(name);
  // `SegmentRepository.getActivityTypes(options)`: a synchronous method computes in memory; a round trip would be a promise.
  for (const c of classes) for (const method of c.synchronous) remote.add(`${c.name}.${method}`);
  return remote;
}

function judgeClass(
  ts: typeof TypeScript,
  node: TypeScript.ClassDeclaration,
  tree: TypeScript.SourceFile,
  facts: ReturnType<typeof fileFacts>,
): RepositoryClass {
  const name = node.name!.text;
  const implemented: string[] = [];
  let extendsSomething = false;
  for (const clause of node.heritageClauses ?? []) {
    for (const type of clause.types) {
      if (clause.token === ts.SyntaxKind.ExtendsKeyword) extendsSomething = true;
      else implemented.push(lastName(type.expression.getText(tree)));
    }
  }
  const out: RepositoryClass = {
    name,
    implements: implemented,
    repositories: [],
    verdict: 'neutral',
    synchronous: synchronousMethods(ts, node, tree, facts),
  };
  // A base class may be an ORM's repository (`extends Repository<User>`): its inherited methods are queries.
  if (extendsSomething) return { ...out, verdict: 'database' };

  let api = HTTP_CALL.test(node.getText(tree));
  let database = false;
  /** Members holding another repository: their calls are judged by what that repository is (the fixed point). */
  const repositoryMembers = new Set<string>();
  for (const { name: held, type } of collaborators(ts, node, tree)) {
    const names = [held, ...(type ? [type] : [])];
    if (names.some((n) => REPOSITORY_NAME.test(n))) {
      out.repositories.push(type ?? capitalise(held));
      repositoryMembers.add(held);
      continue;
    }
    if (names.some((n) => API_WORDS.test(words(n).join(' ')))) api = true;
    else if (names.some((n) => words(n).some((w) => DATABASE_WORDS.has(w)))) database = true;
  }
  const visit = (child: TypeScript.Node): void => {
    if (database) return;
    if (ts.isCallExpression(child) || ts.isTaggedTemplateExpression(child)) {
      const chain = chainAt(ts, child);
      const viaRepository = chain?.fromThis && repositoryMembers.has(chain.segments[0]?.name ?? '');
      if (chain && !viaRepository && dataCall(ts, chain, facts)) {
        database = true;
        return;
      }
    }
    ts.forEachChild(child, visit);
  };
  visit(node);
  return { ...out, verdict: database || facts.importsOrm ? 'database' : api ? 'remote' : 'neutral' };
}

/** A promise-like declared return type: the method may wait on a round trip. */
const ASYNC_TYPE = /^(?:Promise|PromiseLike|Observable|Bluebird|Query|QueryBuilder)\b|^(?:any|unknown)$/;

/**
 * The methods declared synchronous — no `async`, an explicit return type that is not a promise (`static
 * getActivityTypes(options): ActivityTypeSettings`) — that make no data-layer call and call nothing on a
 * member or a database-like name (a synchronous driver's `db.prepare(…).get()` would): in-memory work.
 */
function synchronousMethods(
  ts: typeof TypeScript,
  node: TypeScript.ClassDeclaration,
  tree: TypeScript.SourceFile,
  facts: ReturnType<typeof fileFacts>,
): string[] {
  const out: string[] = [];
  for (const member of node.members) {
    if (!ts.isMethodDeclaration(member) || !member.body || !ts.isIdentifier(member.name) || !member.type) continue;
    if (member.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword) || member.asteriskToken) continue;
    if (ASYNC_TYPE.test(member.type.getText(tree).trim())) continue;
    let touches = false;
    const visit = (child: TypeScript.Node): void => {
      if (touches) return;
      if (ts.isCallExpression(child) || ts.isTaggedTemplateExpression(child)) {
        const chain = chainAt(ts, child);
        const root = chain?.fromThis ? 'this' : (chain?.segments[0]?.name ?? '');
        if (
          chain &&
          (dataCall(ts, chain, facts) ||
            (chain.fromThis && chain.segments.length > 1) ||
            words(root).some((w) => DATABASE_WORDS.has(w)))
        ) {
          touches = true;
          return;
        }
      }
      ts.forEachChild(child, visit);
    };
    visit(member.body);
    if (!touches) out.push(member.name.text);
  }
  return out;
}

/** What the class holds: constructor parameter properties and property declarations, with their declared type's name. */
function collaborators(
  ts: typeof TypeScript,
  node: TypeScript.ClassDeclaration,
  tree: TypeScript.SourceFile,
): Array<{ name: string; type?: string }> {
  const out: Array<{ name: string; type?: string }> = [];
  for (const member of node.members) {
    if (ts.isConstructorDeclaration(member)) {
      for (const parameter of member.parameters) {
        if (!ts.isIdentifier(parameter.name)) continue;
        out.push({ name: parameter.name.text, ...declaredType(ts, parameter, tree) });
      }
    } else if (ts.isPropertyDeclaration(member) && ts.isIdentifier(member.name) && !member.initializer) {
      out.push({ name: member.name.text, ...declaredType(ts, member, tree) });
    }
  }
  return out;
}

/** `ITransactionApiManager` → transaction api manager (the leading `I` of an interface dropped), `configApi` → config api. */
function words(name: string): string[] {
  return name
    .replace(/^I(?=[A-Z][a-z])/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_$]+/)
    .filter((w) => w !== '')
    .map((w) => w.toLowerCase());
}

const lastName = (text: string) =>
  text
    .replace(/<[\s\S]*$/, '')
    .split('.')
    .at(-1) ?? text;
const capitalise = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
