/**
 * NestJS: `NestFactory.create(AppModule)` makes the app; its routes are controller decorators (read
 * by ./nest-controllers.ts from the root module), so the graph only records what is configured on
 * the app: `setGlobalPrefix`, `enableVersioning`, `useGlobalGuards`, and `close()` (an instance made
 * to read configuration).
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../../code/ts-morph.js';
import type { Origin } from '../../../model/finding.js';
import type { RouterNode } from '../graph.js';
import { origin } from '../origins.js';
import { literalStatus } from '../route-args.js';
import { findProperty, type StringValue } from '../values.js';
import { perGraph, type FrameworkAdapter, type GraphContext, type VerbHook } from './adapter.js';

/** The TypeScript namespace at run time (types come from the `import type` above). */
const typescript = loadTypeScript();

/** Nest's built-in HTTP exceptions and their statuses. */
const EXCEPTIONS: Record<string, number | undefined> = {
  HttpException: undefined,
  BadRequestException: 400,
  UnauthorizedException: 401,
  ForbiddenException: 403,
  NotFoundException: 404,
  MethodNotAllowedException: 405,
  NotAcceptableException: 406,
  RequestTimeoutException: 408,
  ConflictException: 409,
  GoneException: 410,
  PayloadTooLargeException: 413,
  UnsupportedMediaTypeException: 415,
  UnprocessableEntityException: 422,
  InternalServerErrorException: 500,
  NotImplementedException: 501,
  BadGatewayException: 502,
  ServiceUnavailableException: 503,
  GatewayTimeoutException: 504,
};

export interface NestAppConfig {
  node: RouterNode;
  globalPrefix?: { value: StringValue; exclude: ts.Expression | undefined; origin: Origin };
  versioning?: ts.ObjectLiteralExpression;
  rootModule?: ts.Expression;
  /** `app.useGlobalGuards(…)` arguments. */
  globalGuards: ts.Expression[];
}

/** The Nest apps of a graph and what is configured on each, in the order they were found. */
export const nestApps = perGraph((_graph: GraphContext) => new Map<RouterNode, NestAppConfig>());

function configOf(graph: GraphContext, node: RouterNode): NestAppConfig {
  const apps = nestApps(graph);
  let config = apps.get(node);
  if (!config) apps.set(node, (config = { node, globalGuards: [] }));
  return config;
}

const setGlobalPrefix: VerbHook = (graph, call, receiver) => {
  const config = configOf(graph, receiver);
  const [first, second] = call.arguments;
  if (!first) return;
  const options = second ? graph.evaluator.objectLiteralOf(second) : undefined;
  config.globalPrefix = {
    value: graph.evaluator.stringOrText(first),
    exclude: options ? findProperty(options, 'exclude') : undefined,
    origin: origin(graph.modules.fileFor(call), call),
  };
};

const enableVersioning: VerbHook = (graph, call, receiver) => {
  const first = call.arguments[0];
  configOf(graph, receiver).versioning =
    (first && graph.evaluator.objectLiteralOf(first)) || typescript.factory.createObjectLiteralExpression([]);
};

const useGlobalGuards: VerbHook = (graph, call, receiver) => {
  configOf(graph, receiver).globalGuards.push(...call.arguments);
};

export const nestjs: FrameworkAdapter = {
  framework: 'nestjs',
  packageFamilies: ['@nestjs/core'],
  packages: ['@nestjs/common', '@nestjs/core'],
  // Nest apps come only from NestFactory: an untyped parameter in a Nest file is not taken for one.
  importedFrom: [],
  factories: [{ packages: ['@nestjs/core'], paths: ['NestFactory.create'], role: 'app' }],
  factoryCallees: ['create'],
  useMounts: true,
  methodRoutes: false,
  allMethodsRoute: false,
  verbs: {
    // `const configApp = await NestFactory.create(AppModule); …; await configApp.close()`: an instance made
    // to read configuration, never served. An app that is also served (listen) stays a service.
    close: (_graph, _call, receiver) => {
      receiver.closed = true;
    },
    setGlobalPrefix,
    enableVersioning,
    useGlobalGuards,
  },
  created: (graph, node, creation) => {
    if (typescript.isCallExpression(creation)) configOf(graph, node).rootModule = creation.arguments[0];
  },
  httpExceptions: {
    fromModule: (module) => module === '@nestjs/common',
    exclusive: true,
    statuses: EXCEPTIONS,
    // new NotFoundException('msg'), new HttpException('msg', 418)
    read: (className, args) => ({
      status: className === 'HttpException' ? literalStatus(args[1]) : EXCEPTIONS[className],
      message: args[0],
    }),
  },
  queryDecorator: 'Query',
  returnsBody: true,
  routesOutsideGraph: true,
};
