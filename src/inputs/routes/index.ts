/**
 * The `routes` input: HTTP services and endpoints declared in TypeScript/JavaScript code (Express, Fastify, NestJS,
 * Hono, Koa, Next.js), with every prefix resolved across files, plus the error sites api/structured-errors judges.
 * Built on the `code` input's syntax trees (no second parse, no type checker).
 */
import { posix } from 'node:path';
import type { RoutesModel } from '../../model/code-http.js';
import type { FileSet, TextFiles } from '../../model/files.js';
import { assignRoles, markFirstPartyRoutes, type CallerEvidence } from '../../model/endpoint-roles.js';
import { callerEvidence, pathsNamedByCommandLineCode, pathsNamedByInterfaceCode } from './first-party.js';
import type { Endpoint, HttpMethod, Service } from '../../model/http.js';
import type { CodeFile, CodeModel } from '../code/index.js';
import type { PathAliases, WorkspacePackage } from '../../model/module-exports.js';
import type { InputEnv } from '../env.js';
import { ErrorSites } from './errors.js';
import type { EndpointDraft } from './graph.js';
import { HandlerAnalyzer } from './handler.js';
import { DataReads } from './data-reads.js';
import type { HandlerAnswers } from './handler-answers.js';
import type { HandlerRoles } from './handler-roles.js';
import { RATE_LIMIT_PACKAGES } from './middleware.js';
import { Reach } from './reach.js';
import { markWhereErrorSitesRun } from './site-services.js';
import { Modules } from './modules.js';
import { NestExtractor } from './frameworks/nest-controllers.js';
import { extractNext } from './frameworks/next-routes.js';
import { extractTrpc } from './frameworks/trpc.js';
import { extractTsRest } from './frameworks/ts-rest.js';
import { extractReactRouter } from './frameworks/react-router-routes.js';
import { isExamplePath } from '../../model/example-paths.js';
import { snapshotCopies } from '../../model/snapshot-copies.js';
import { markNotShipped } from './mock-packages.js';
import { isTestFile, isTestPath, judgingRoots, pathBelowRoot } from '../../model/test-paths.js';
import { joinPaths } from './paths.js';
import { adapterOf, RECOGNISED_PACKAGES } from './frameworks/index.js';
import { nestApps } from './frameworks/nestjs.js';
import { GraphBuilder } from './graph-builder.js';
import { origin } from './origins.js';
import { isBundle } from '../../model/bundles.js';
import { collectIfHeapGrew } from '../../util/collect-garbage.js';
import { readPathAliases } from './tsconfig.js';
import { Evaluator } from './values.js';
import { readWorkspacePackages } from './workspaces.js';
import { joinStrings, walk } from './chains.js';
import { markCronPaths } from './cron-paths.js';
import { markDevOnlyRegistrations } from './dev-only.js';
import { WordFiles } from './word-files.js';
import { readComposeServices } from './compose.js';
import { probedBy, readDeploymentProbes, type DeploymentProbe } from './deployment-probes.js';
import { upstreamRateLimit } from './upstream-limits.js';
import { collectOutboundCalls } from './outbound-calls.js';
import {
  HEALTH_PACKAGES,
  METRICS_PACKAGES,
  nestVersioningKind,
  noteLimitersInCode,
  SelfServedMetrics,
  unique,
  viewEngineOf,
} from './service-facts.js';
import {
  compare,
  createdInFunction,
  handedToNext,
  isService,
  oneServicePerBuild,
  reachable,
  seenServed,
  usedOnlyByTests,
} from './service-nodes.js';

export async function buildRoutesModel(env: InputEnv): Promise<RoutesModel> {
  const code = await env.input('code');
  const { model, linted } = extractRoutes(code, env.text, env.fileSet, env.cwd);
  // The graph's trees are not needed any more: those the model points into stay, the others go now
  // (the rules that follow parse few files; see collect-garbage.ts). Then the syntax check of the
  // files the graph did not parse, whose throwaway trees pile up on a small heap rather than a large one.
  code.releaseTrees();
  // Collected now if the heap grew enough (on a large tree; after a macrotask: a WeakRef keeps its target alive
  // until the job that made it ends, and releaseTrees makes one per tree; a collection in the same job freed
  // nothing, 547 → 495 MB on the corpus of issue 22, then the syntax check grew the heap to ~800 MB).
  await collectIfHeapGrew(env.log);
  // Every linted file's syntax errors (tests and examples aside), though few are parsed for the graph:
  // one may hide routes. Not where no finding is reported (InputEnv.checkSyntax).
  if (env.checkSyntax !== false) code.checkUnparsed(linted);
  return model;
}

/**
 * `cwd`: the folder file paths are relative to (the lint's, not the process's): it names a Next.js app at
 * the root. With the model, the files whose syntax errors the routes input reports (all but tests and examples).
 */
export function extractRoutes(
  code: CodeModel,
  text: TextFiles,
  fileSet: FileSet,
  cwd: string,
): { model: RoutesModel; linted: CodeFile[] } {
  const configs = fileSet.files
    .filter((f) => /^tsconfig[\w.-]*\.json$|^jsconfig\.json$/.test(posix.basename(f.path)))
    .map((f) => f.path);
  const manifests = packageJsons(fileSet, text);
  const aliases = readPathAliases(configs, text);
  const workspaces = readWorkspacePackages(manifests, RECOGNISED_PACKAGES);
  const modules = new Modules(code, aliases, workspaces);
  const evaluator = new Evaluator(modules);
  // Tests build throwaway apps and routers, examples show how to use the project, a tutorial's snapshot copies of an
  // app (`book/3-end/`, model/snapshot-copies.ts) freeze it at a chapter: none is a deployed API. All judged below the
  // lint root: the folders above what the user pointed at say nothing.
  const discovered = new Map(fileSet.files.map((file) => [file.path, file]));
  const [roots, inCopy] = [judgingRoots(fileSet), snapshotCopies(fileSet)];
  const linted = code.files.filter((file) => {
    const found = discovered.get(file.path) ?? { path: file.path, absPath: '' };
    const below = pathBelowRoot(found, roots);
    return (!isTestFile(found, roots) || isUrlSegmentOnlyTest(below)) && !isExamplePath(below) && !inCopy(below);
  });
  // Nor are a vendored library's or a build's bundles the project's code (their syntax is still checked, below).
  const sources = linted.filter((file) => !isBundle(file.path, file.text.content));
  const routers = new GraphBuilder(modules, evaluator);
  routers.run(sources);
  const words = new WordFiles(sources); // who calls a function is looked up by name: words indexed once for all
  markDevOnlyRegistrations(routers.nodes, modules, words, fileSet, text);
  // An app built in a test harness (`runServer()` in `utils/tests.ts`, imported only by `*.test.ts`) is the
  // tests' copy of the service, not a second one.
  const harness = new Set(
    routers.nodes.filter(
      (n) => n.role === 'app' && createdInFunction(n.creation) && usedOnlyByTests(modules, n.file.path),
    ),
  );

  const services: Service[] = [];
  const drafts: EndpointDraft[] = [];
  const nest = new NestExtractor(modules, evaluator, routers.routeMiddleware.classifier, (e) =>
    routers.functionsOf(e),
  ).extract(
    sources,
    [...nestApps(routers).values()].filter((app) => !(app.node.closed && !app.node.served) && !harness.has(app.node)),
  );
  const next = extractNext(modules, routers.routeMiddleware.classifier, sources, manifests, cwd, (e) =>
    routers.appsHandedTo(e),
  );
  // tRPC procedures: added to the apps that serve them (before the walk), or drafts of their own.
  const rpc = extractTrpc(routers, routers.nodes, sources, next);
  // ts-rest contracts: added to the apps that register them (before the walk), or placed after it.
  const tsRest = extractTsRest(routers, sources);
  const reactRouter = extractReactRouter(modules, routers.routeMiddleware.classifier, sources, manifests, cwd);
  // Apps that answer inside a Next.js app (`export const GET = handle(app)`) are part of it, not services.
  const handed = handedToNext(routers.nodes, next);
  const { services: serviceNodes, repeats } = oneServicePerBuild(
    routers.nodes.filter((n) => isService(n) && !handed.has(n) && !harness.has(n)),
  );
  for (const node of serviceNodes) {
    const nodes = [...reachable(node)];
    const packages = new Set(nodes.flatMap((n) => [...n.packages]));
    for (const p of nest.packages.get(node) ?? []) packages.add(p);
    const limiters = new Set([...packages].filter((p) => RATE_LIMIT_PACKAGES.has(p)));
    for (const n of nodes) for (const limiter of n.rateLimiters) limiters.add(limiter);
    // A Nest app whose root module could not be followed may register a throttler we did not see.
    const rateLimitKnown = !adapterOf(node.framework).routesOutsideGraph || nest.packages.has(node);
    const nestVersioning = nestVersioningKind(nestApps(routers).get(node)?.versioning);
    services.push({
      id: node.id,
      name: node.name,
      source: 'typescript',
      origin: node.origin,
      framework: node.framework,
      deployable: true,
      healthModules: [...packages].filter((p) => HEALTH_PACKAGES.has(p)).sort(),
      metricsModules: [...packages].filter((p) => METRICS_PACKAGES.has(p)).sort(),
      ...(rateLimitKnown ? { rateLimitModules: [...limiters].sort() } : {}),
      ...(nestVersioning ? { versioning: nestVersioning } : {}),
      ...viewEngineOf(nodes, packages),
    });
  }
  markNotShipped(services, manifests);
  // What a handed app registers (rate limiters, health modules) counts for the Next.js app it answers in.
  for (const [node, serviceId] of handed) {
    const service = next.services.find((s) => s.id === serviceId);
    if (!service) continue;
    const nodes = [...reachable(node)];
    const packages = new Set(nodes.flatMap((n) => [...n.packages]));
    const limiters = [...packages]
      .filter((p) => RATE_LIMIT_PACKAGES.has(p))
      .concat(nodes.flatMap((n) => [...n.rateLimiters]));
    service.rateLimitModules = unique([...(service.rateLimitModules ?? []), ...limiters]).sort();
    service.healthModules = unique([
      ...service.healthModules,
      ...[...packages].filter((p) => HEALTH_PACKAGES.has(p)),
    ]).sort();
  }
  const serviceIds = new Set(serviceNodes.map((n) => n.id));
  for (const root of routers.nodes.filter(
    (n) => !n.mounted && !adapterOf(n.framework).routesOutsideGraph && !repeats.has(n) && !harness.has(n),
  )) {
    const confident = serviceIds.has(root.id) || handed.has(root);
    const serviceId = handed.get(root) ?? root.id;
    walk(root, { value: '', exact: true }, { guards: [], unknown: false }, (route, prefix, chain) => {
      const path = joinStrings(prefix, route.path);
      const { unknown } = chain;
      // No middleware authenticates: the handler may check the credentials itself (and answer 401).
      const inHandler =
        chain.guards.length === 0 && !route.optOut ? routers.routeMiddleware.classifier.routeAuth(route.handler) : {};
      const guards = inHandler.guard ? [inHandler.guard] : chain.guards;
      const optOut = route.optOut ?? inHandler.optOut;
      drafts.push({
        serviceId,
        framework: route.framework ?? root.framework,
        method: route.method,
        path,
        declaredPath: joinPaths(route.path.value),
        origin: route.origin,
        ...(route.pathOrigin ? { pathOrigin: route.pathOrigin } : {}),
        file: route.file,
        ...(route.handler ? { handler: route.handler } : {}),
        ...(route.querySchemas?.length ? { querySchemas: route.querySchemas } : {}),
        ...(route.signatureMiddleware ? { signatureMiddleware: true } : {}),
        ...(route.pagingMiddleware ? { pagingMiddleware: route.pagingMiddleware } : {}),
        ...(chain.scheduled ? { scheduledMiddleware: true } : {}),
        ...(chain.sharedSecret ? { secretMiddleware: chain.sharedSecret } : {}),
        ...(route.hiddenFromDocs ? { hiddenFromDocs: true } : {}),
        ...(route.delegatesTo ? { delegatesTo: route.delegatesTo } : {}),
        ...(route.deprecated ? { deprecated: true } : {}),
        ...(route.procedure ? { procedure: route.procedure } : {}),
        ...(route.published ? { published: true } : {}),
        ...(chain.devOnly ? { devOnly: chain.devOnly } : {}),
        // Out of sight: what is added where a non-service router or an app never seen served is mounted (a handed
        // app is all that answers below its file), middleware not followed, an unresolved function given the request.
        ...((confident && (guards.length > 0 || optOut)) ||
        (confident && (seenServed(root) || handed.has(root)) && !unknown && !inHandler.unknown)
          ? { auth: { guards, ...(optOut ? { optOut } : {}) } }
          : {}),
        confidence: confident && path.exact && !route.uncertain ? 'high' : 'low',
      });
    });
  }
  drafts.push(...nest.drafts);
  services.push(...next.services, ...reactRouter.services);
  drafts.push(...next.drafts.filter((d) => !rpc.replaced.has(d)), ...rpc.drafts, ...reactRouter.drafts);
  const placed = tsRest.place(drafts, routers.routeMiddleware.classifier, next.services);

  const analyzer = new HandlerAnalyzer(modules);
  const reads = new DataReads(modules);
  const endpoints = dedupeEndpoints(
    placed.map((draft) =>
      toEndpoint(
        draft,
        analyzer,
        reads,
        routers.routeMiddleware.handlerRoles,
        routers.routeMiddleware.answers,
        modules,
      ),
    ),
  );
  markCronPaths(endpoints, services, fileSet, text);
  assignRoles(
    endpoints,
    new Set(services.filter((s) => s.kind === 'web-app').map((s) => s.id)),
    new Set(services.filter((s) => s.viewEngine).map((s) => s.id)),
  );
  const reach = new Reach(modules);
  noteLimitersInCode(services, endpoints, reach);
  const packageDirs = manifests.map((m) => posix.dirname(m.path)).map((dir) => (dir === '.' ? '' : dir));
  const evidence = callerEvidence(services, endpoints, reach, sources, packageDirs);
  markAnonymousServices(services, endpoints, evidence);
  markFirstPartyRoutes(endpoints, evidence, pathsNamedByInterfaceCode(sources), pathsNamedByCommandLineCode(sources));
  const handlerRoles = routers.routeMiddleware.handlerRoles;
  const errorSites = new ErrorSites(modules, evaluator, (fn) => handlerRoles.answersWebhookSender(fn)).collect(sources);
  markWhereErrorSitesRun(errorSites, { services, endpoints, reach, modules, words, fileSet, text });
  markDeploymentProbes(services, endpoints, readDeploymentProbes(fileSet, text));
  const upstream = upstreamRateLimit(fileSet, text);
  if (upstream) for (const service of services) service.upstreamRateLimit = upstream;
  const exporters = new SelfServedMetrics(sources, manifests);
  for (const service of services) {
    const exporter = exporters.for(service.origin.file);
    if (exporter && !service.metricsModules.includes(exporter))
      service.metricsModules = [...service.metricsModules, exporter].sort();
  }
  services.sort((a, b) => compare(a.id, b.id));
  const model = withLazyParts(
    { services, endpoints, errorSites },
    { code, sources, aliases, workspaces, fileSet, text },
  );
  return { model, linted };
}

/** A path segment that signs callers in or up, or issues them a credential (`/auth/login`, `POST /sessions`). */
const SIGN_IN = /(^|\/)(log-?in|sign-?(in|up)|register|sessions?|tokens?|password|auth|oauth|otp|2fa|mfa)(\/|$)/i;

/**
 * A code service none of whose resource routes checks who calls it: every route's middleware chain and handler are
 * known and none authenticates, no route signs callers in, and nothing in the service's code reads a credential from
 * the request (Service.identifiesNoCaller). Web apps are left out: their pages and forms are public by nature.
 */
function markAnonymousServices(
  services: Service[],
  endpoints: Endpoint[],
  evidence: ReadonlyMap<string, CallerEvidence>,
): void {
  const routes = new Map<string, Endpoint[]>();
  for (const endpoint of endpoints)
    if (endpoint.role === 'resource')
      routes.set(endpoint.serviceId, [...(routes.get(endpoint.serviceId) ?? []), endpoint]);
  for (const service of services) {
    const own = routes.get(service.id) ?? [];
    const seen = evidence.get(service.id);
    if (service.kind === 'web-app' || own.length === 0 || !seen || seen.credential !== undefined) continue;
    // A route that signs callers in or up (`POST /sessions`, `/auth/login`) issues them an identity, even when no
    // guard is seen checking it afterwards.
    if (own.some((endpoint) => SIGN_IN.test(endpoint.path))) continue;
    if (
      own.every((endpoint) => endpoint.auth !== undefined && endpoint.auth.guards.length === 0 && !endpoint.auth.optOut)
    )
      service.identifiesNoCaller = true;
  }
}

/**
 * A code service one of whose GET routes the deployment configuration probes has that probe, whatever the route is
 * called (`/api`, `/auth/isconfigured`). Routes with a parameter in the path are not what a fixed probe URL names.
 */
function markDeploymentProbes(services: Service[], endpoints: Endpoint[], probes: DeploymentProbe[]): void {
  if (probes.length === 0) return;
  const byId = new Map(services.map((service) => [service.id, service]));
  for (const endpoint of endpoints) {
    const service = byId.get(endpoint.serviceId);
    if (!service || service.probedByDeployment || endpoint.method !== 'get' || endpoint.path.includes('{')) continue;
    const probe = probedBy(endpoint.path, probes);
    if (probe) service.probedByDeployment = `GET ${endpoint.path} (${probe.file})`;
  }
}

/**
 * The model with what only the map reads, computed when it first asks (a lint run does not pay for
 * them). Made outside extractRoutes on purpose: a getter made there would keep the whole of its scope
 * alive (V8 shares one context between a function's closures), the route graph and every tree it met.
 * The outbound calls get name resolution of their own for the same reason.
 */
function withLazyParts(
  model: Pick<RoutesModel, 'services' | 'endpoints' | 'errorSites'>,
  from: {
    code: CodeModel;
    sources: CodeFile[];
    aliases: PathAliases[];
    workspaces: Map<string, WorkspacePackage>;
    fileSet: FileSet;
    text: TextFiles;
  },
): RoutesModel {
  let outboundCalls: RoutesModel['outboundCalls'];
  let composeServices: RoutesModel['composeServices'];
  return {
    ...model,
    get outboundCalls() {
      if (!outboundCalls) {
        const modules = new Modules(from.code, from.aliases, from.workspaces);
        outboundCalls = collectOutboundCalls(from.sources, modules, new Evaluator(modules));
      }
      return outboundCalls;
    },
    get composeServices() {
      return (composeServices ??= readComposeServices(from.fileSet, from.text));
    },
  };
}

function toEndpoint(
  draft: EndpointDraft,
  analyzer: HandlerAnalyzer,
  reads: DataReads,
  roles: HandlerRoles,
  answers: HandlerAnswers,
  modules: Modules,
): Endpoint {
  const method: HttpMethod = draft.method === 'all' ? 'get' : draft.method;
  const facts = draft.handler
    ? analyzer.analyze(draft.handler, draft.file, draft.framework, draft.querySchemas ?? [])
    : undefined;
  const verifiesSignature =
    draft.signatureMiddleware === true || (draft.handler ? roles.verifiesSignature(draft.handler) : false);
  const delegatesTo = draft.delegatesTo ?? (draft.handler ? roles.delegatesTo(draft.handler) : undefined);
  const answer = draft.handler ? answers.of(draft.handler) : {};
  const scheduled = draft.scheduledMiddleware === true || answer.scheduled === true;
  const sharedSecret = draft.secretMiddleware ?? answer.sharedSecret;
  // What a read endpoint's answer is made of (only reads are lists).
  const read = draft.handler && facts && method === 'get' ? reads.of(draft.handler) : undefined;
  const answered = {
    ...(answer.rendersView ? { rendersView: answer.rendersView } : {}),
    ...(answer.redirects ? { redirects: true } : {}),
    ...(answer.sendsJson ? { sendsJson: true } : {}),
    ...(answer.servesStoredFile ? { servesStoredFile: answer.servesStoredFile } : {}),
    ...(scheduled ? { scheduled: true } : {}),
    ...(sharedSecret ? { sharedSecret } : {}),
    ...(answer.publicAnswer ? { publicAnswer: answer.publicAnswer } : {}),
    ...(answer.constant ? { constantAnswer: answer.constant } : {}),
    ...(answer.probeName ? { probeName: answer.probeName } : {}),
  };
  // A package's request handler registered as is (`toNodeHandler(auth)`) has no project function to read.
  const handler: Endpoint['handler'] =
    facts && draft.handler
      ? {
          origin: origin(modules.fileFor(draft.handler), draft.handler),
          queryParams: facts.queryParams,
          pagingArgs: facts.pagingArgs,
          verifiesSignature,
          ...(delegatesTo ? { delegatesTo } : {}),
          ...(draft.pagingMiddleware ? { pagedBy: draft.pagingMiddleware } : {}),
          ...(read ? { reads: read } : {}),
          ...answered,
        }
      : delegatesTo || verifiesSignature || scheduled || sharedSecret
        ? {
            origin: draft.origin,
            queryParams: [],
            pagingArgs: [],
            verifiesSignature,
            ...(delegatesTo ? { delegatesTo } : {}),
            ...(scheduled ? { scheduled } : {}),
            ...(sharedSecret ? { sharedSecret } : {}),
          }
        : undefined;
  const serviceId = draft.serviceId || `${draft.file.path}#${draft.framework}`;
  const path = draft.path.value;
  return {
    id: `${serviceId} ${draft.method.toUpperCase()} ${path}`,
    serviceId,
    source: 'typescript',
    method,
    ...(draft.method === 'all' ? { allMethods: true } : {}),
    ...(draft.hiddenFromDocs ? { hiddenFromDocs: true } : {}),
    path,
    declaredPath: draft.declaredPath,
    origin: draft.origin,
    pathOrigin: draft.pathOrigin ?? draft.origin,
    tags: [],
    parameters: (facts?.queryParams ?? []).map((name) => ({
      name,
      in: 'query' as const,
      required: false,
      origin: draft.origin,
    })),
    // Code endpoints carry their success responses; error responses are the model's errorSites.
    responses: facts?.responses ?? [],
    // Refined by assignRoles once every endpoint of the service is known.
    role: 'resource',
    roleReason: 'resource API',
    ...(draft.versioning ? { versioning: draft.versioning } : {}),
    ...(draft.auth ? { auth: draft.auth } : {}),
    ...(draft.hiddenFromDocs ? { hiddenFromDocs: true } : {}),
    ...(draft.deprecated ? { deprecated: true } : {}),
    ...(draft.procedure ? { procedure: draft.procedure } : {}),
    ...(draft.published ? { published: true } : {}),
    ...(draft.devOnly ? { devOnly: draft.devOnly } : {}),
    confidence: draft.confidence,
    ...(handler ? { handler } : {}),
  };
}

function dedupeEndpoints(endpoints: Endpoint[]): Endpoint[] {
  const seen = new Set<string>();
  const out: Endpoint[] = [];
  for (const endpoint of endpoints) {
    const key = `${endpoint.id} ${endpoint.origin.file}:${endpoint.origin.range?.start}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(endpoint);
  }
  return out.sort(
    (a, b) =>
      compare(a.origin.file, b.origin.file) ||
      (a.origin.range?.start ?? 0) - (b.origin.range?.start ?? 0) ||
      compare(a.path, b.path) ||
      compare(a.id, b.id),
  );
}

function packageJsons(fileSet: FileSet, text: TextFiles): Array<{ path: string; content: string }> {
  return fileSet.files
    .filter((f) => posix.basename(f.path) === 'package.json')
    .flatMap((f) => {
      const file = text.get(f.path);
      return file ? [{ path: f.path, content: file.content }] : [];
    });
}

/**
 * A Next.js route module (`route.ts` under `app/`, any module under `pages/api/`) whose folders below
 * `app/` or `pages/` are URL segments, not test folders: dub's `…/postbacks/[id]/send-test/route.ts`
 * sends a test postback, `api/cron/cleanup/e2e-tests/route.ts` is a cron job. Its test-ness is judged
 * on the path above the routes folder and on the file's own name.
 */
const NEXT_ROUTE_MODULE = /^((?:.*?\/)?(?:app|pages(?=\/api\/)))\/(?:.*\/)?([^/]+)$/;
const APP_ROUTE_FILE = /^route\.[cm]?[jt]sx?$/;
function isUrlSegmentOnlyTest(path: string): boolean {
  const match = NEXT_ROUTE_MODULE.exec(path);
  if (!match) return false;
  const [, root, name] = match as unknown as [string, string, string];
  if (/(?:^|\/)app$/.test(root) && !APP_ROUTE_FILE.test(name)) return false;
  return !isTestPath(`${root}/${name}`);
}
