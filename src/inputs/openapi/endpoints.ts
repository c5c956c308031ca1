/**
 * One description → one Service and one Endpoint per operation: full path (server URL path or
 * basePath + path key), parameters (path-level and operation-level, `$ref`s followed), request
 * body, responses summarised, security, and where each is written.
 */
import type {
  BodyShape,
  Endpoint,
  HttpMethod,
  Parameter,
  ParameterLocation,
  ResponseSummary,
  Service,
  Versioning,
} from '../../model/http.js';
import { assignRoles } from '../../model/endpoint-roles.js';
import { child, isObject, origin, type DescriptionFiles, type JsonObject, type Node } from './refs.js';
import { bodyShape, NO_BODY } from './shapes.js';

export const HTTP_METHODS: readonly HttpMethod[] = [
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'trace',
];
const PARAMETER_LOCATIONS = new Set<string>(['query', 'header', 'path', 'cookie']);
/**
 * Header parameters that declare header versioning: `Accept-Version`, `API-Version`, `X-Api-Version`,
 * `X-GitHub-Api-Version`, vendor headers such as `Stripe-Version` or `Notion-Version`, and TUS's
 * `Tus-Resumable` (the protocol version every request carries).
 */
const VERSION_HEADER = /^(accept-version|(x-([a-z0-9]+-)?)?api-version|x-version|[a-z0-9]+-version|tus-resumable)$/i;
/** Media types that carry a version (`application/vnd.acme.v2+json`, `application/json; version=2`). */
const VERSIONED_MEDIA_TYPE = /[.+-]v\d+([.+;]|$)|;\s*(version|v)=/i;

export interface DescriptionModel {
  service: Service;
  endpoints: Endpoint[];
}

export function describeService(
  files: DescriptionFiles,
  root: Node & { value: JsonObject },
  swagger2: boolean,
  deployable = false,
): DescriptionModel {
  const rootValue = root.value;
  const info = isObject(rootValue.info) ? rootValue.info : {};
  const pathsNode = child(root, 'paths');
  const baseNode = swagger2 ? (child(root, 'basePath') ?? child(root, 'host')) : child(root, 'servers');
  const service: Service = {
    id: root.file,
    name: typeof info.title === 'string' && info.title.trim() !== '' ? info.title : root.file,
    source: 'openapi',
    origin: pathsNode ? origin(pathsNode) : { file: root.file },
    baseOrigin: baseNode ? origin(baseNode) : pathsNode ? origin(pathsNode) : { file: root.file },
    deployable,
    healthModules: [],
    metricsModules: [],
    ...(typeof info.description === 'string' && info.description.trim() !== ''
      ? { description: info.description }
      : {}),
  };
  const endpoints: Endpoint[] = [];
  if (!pathsNode || !isObject(pathsNode.value)) return { service, endpoints };
  const retired = describesDeprecatedVersion(info);

  const rootServers = swagger2 ? undefined : child(root, 'servers');
  const basePath = swagger2 && typeof rootValue.basePath === 'string' ? rootValue.basePath : '';
  for (const pathKey of Object.keys(pathsNode.value)) {
    if (pathKey.startsWith('x-')) continue;
    const pathKeyNode = child(pathsNode, pathKey)!;
    const pathItem = files.deref(pathKeyNode);
    if (!pathItem || !isObject(pathItem.value)) continue;
    const pathParameters = parameterNodes(files, child(pathItem, 'parameters'));
    for (const method of HTTP_METHODS) {
      const operation = files.deref(child(pathItem, method));
      if (!operation || !isObject(operation.value)) continue;
      const prefix = swagger2
        ? basePath
        : serverPath(child(operation, 'servers') ?? child(pathItem, 'servers') ?? rootServers);
      const endpoint = describeOperation(files, {
        root,
        service,
        method,
        pathKey,
        pathKeyNode,
        operation: operation as Node & { value: JsonObject },
        pathParameters,
        swagger2,
      });
      if (retired) endpoint.deprecated = true;
      endpoint.path = joinPath(prefix, pathKey);
      endpoint.id = `${service.id} ${method.toUpperCase()} ${endpoint.path}`;
      endpoints.push(endpoint);
    }
  }
  assignRoles(endpoints);
  return { service, endpoints };
}

/**
 * A description whose `info` says its whole version is deprecated ("This version is deprecated please use v2"):
 * every operation is on its way out, as if each were marked `deprecated: true`.
 */
function describesDeprecatedVersion(info: JsonObject): boolean {
  const text = [info.title, info.description].filter((t): t is string => typeof t === 'string').join(' ');
  return /\bthis (api|version|api version)\b[^.]{0,40}\b(is|has been) deprecated\b|\bdeprecated\b[^.]{0,40}\b(please )?(use|migrate to|switch to) (the )?v\d+\b/i.test(
    text,
  );
}

interface OperationContext {
  root: Node & { value: JsonObject };
  service: Service;
  method: HttpMethod;
  pathKey: string;
  pathKeyNode: Node;
  operation: Node & { value: JsonObject };
  pathParameters: Node[];
  swagger2: boolean;
}

function describeOperation(files: DescriptionFiles, context: OperationContext): Endpoint {
  const { root, service, method, pathKey, pathKeyNode, operation, swagger2 } = context;
  const op = operation.value;
  const allParameters = mergeParameters(context.pathParameters, parameterNodes(files, child(operation, 'parameters')));
  const parameters = allParameters.flatMap((node) => {
    const p = node.value as JsonObject;
    return typeof p.name === 'string' && typeof p.in === 'string' && PARAMETER_LOCATIONS.has(p.in)
      ? [
          {
            name: p.name,
            in: p.in as ParameterLocation,
            required: p.required === true,
            origin: origin(node),
          } satisfies Parameter,
        ]
      : [];
  });
  const produces = mediaList(op.produces) ?? mediaList(root.value.produces) ?? [];
  const consumes = mediaList(op.consumes) ?? mediaList(root.value.consumes);
  const responses = describeResponses(files, child(operation, 'responses'), swagger2, produces);
  const requestBody = swagger2
    ? swaggerRequestBody(allParameters, consumes)
    : openApiRequestBody(files, child(operation, 'requestBody'));

  const endpoint: Endpoint = {
    id: '',
    serviceId: service.id,
    source: 'openapi',
    method,
    path: '',
    declaredPath: pathKey,
    origin: origin(operation),
    pathOrigin: origin(pathKeyNode),
    tags: Array.isArray(op.tags) ? op.tags.filter((t): t is string => typeof t === 'string') : [],
    parameters,
    responses,
    // Refined by assignRoles once the full path and the whole service are known.
    role: 'resource',
    roleReason: 'resource API',
    confidence: 'high',
  };
  if (typeof op.operationId === 'string') endpoint.operationId = op.operationId;
  if (typeof op.summary === 'string') endpoint.summary = op.summary;
  if (requestBody) endpoint.requestBody = requestBody;
  const security = securityOf(op.security) ?? securityOf(root.value.security);
  if (security) endpoint.security = security;
  const versioning = versioningOf(parameters, [
    ...responses.flatMap((r) => r.mediaTypes),
    ...(requestBody?.mediaTypes ?? []),
    ...acceptDefaults(allParameters),
  ]);
  if (versioning) endpoint.versioning = versioning;
  if (op['x-webhook'] === true) endpoint.webhook = true;
  if (op.deprecated === true) endpoint.deprecated = true;
  return endpoint;
}

/** Each parameter of a `parameters` list, `$ref` followed. */
function parameterNodes(files: DescriptionFiles, list: Node | undefined): Node[] {
  if (!list || !Array.isArray(list.value)) return [];
  return list.value.flatMap((_, index) => {
    const node = files.deref(child(list, index));
    return node && isObject(node.value) ? [node] : [];
  });
}

/** Operation parameters override path-level ones with the same name and location. */
function mergeParameters(pathLevel: Node[], operationLevel: Node[]): Node[] {
  const keyOf = (node: Node) => {
    const p = node.value as JsonObject;
    return `${String(p.in)}:${p.in === 'header' ? String(p.name).toLowerCase() : String(p.name)}`;
  };
  const own = new Set(operationLevel.map(keyOf));
  return [...pathLevel.filter((node) => !own.has(keyOf(node))), ...operationLevel];
}

/** The object a media type shows as its example (`example`, or the first of `examples`), if it shows one. */
function exampleOf(media: Node): JsonObject | undefined {
  if (!isObject(media.value)) return undefined;
  const direct = media.value.example;
  if (isObject(direct)) return direct;
  const examples = media.value.examples;
  const first = isObject(examples) ? Object.values(examples)[0] : undefined;
  return isObject(first) && isObject(first.value) ? first.value : undefined;
}

/**
 * A free-form object schema (`{type: object}`, no properties) says nothing of the body's shape; the example
 * next to it is then the description's only statement of it, and what its readers are shown
 * (`{code: 'not_found', message: 'Survey not found'}`): its keys are the body's properties. A schema that
 * lists properties is the contract, and its example is not read.
 */
function withExampleProperties(body: BodyShape, example: JsonObject): BodyShape {
  if (body.kind !== 'object' || body.properties.length > 0) return body;
  const error = example.error;
  const nested = isObject(error) ? Object.keys(error) : undefined;
  const strings = Object.keys(example).filter((name) => typeof example[name] === 'string');
  return {
    ...body,
    properties: Object.keys(example),
    ...(nested ? { nestedErrorProperties: nested } : {}),
    ...(strings.length > 0
      ? {
          stringProperties: strings,
          exampleStrings: Object.fromEntries(strings.map((name) => [name, example[name] as string])),
        }
      : {}),
  };
}

function describeResponses(
  files: DescriptionFiles,
  responses: Node | undefined,
  swagger2: boolean,
  produces: string[],
): ResponseSummary[] {
  if (!responses || !isObject(responses.value)) return [];
  const summaries: ResponseSummary[] = [];
  for (const status of Object.keys(responses.value)) {
    if (status.startsWith('x-')) continue;
    const response = files.deref(child(responses, status));
    if (!response || !isObject(response.value)) continue;
    const headers = isObject(response.value.headers) ? Object.keys(response.value.headers) : [];
    let mediaTypes: string[];
    let schema: Node | undefined;
    let example: JsonObject | undefined;
    if (swagger2) {
      schema = child(response, 'schema');
      mediaTypes = schema ? produces : [];
    } else {
      const content = child(response, 'content');
      mediaTypes = content && isObject(content.value) ? Object.keys(content.value) : [];
      const chosen = mediaTypes.find((type) => /json/i.test(type)) ?? mediaTypes[0];
      const media = chosen !== undefined && content ? child(content, chosen) : undefined;
      schema = media ? child(media, 'schema') : undefined;
      example = media ? exampleOf(media) : undefined;
    }
    const body = schema ? bodyShape(files, schema) : NO_BODY;
    summaries.push({
      status,
      mediaTypes,
      body: example ? withExampleProperties(body, example) : body,
      headers,
      origin: origin(response),
    });
  }
  return summaries;
}

function openApiRequestBody(files: DescriptionFiles, requestBody: Node | undefined): Endpoint['requestBody'] {
  const body = files.deref(requestBody);
  if (!body || !isObject(body.value)) return undefined;
  const mediaTypes = isObject(body.value.content) ? Object.keys(body.value.content) : [];
  return { mediaTypes, required: body.value.required === true, origin: origin(body) };
}

/** Swagger 2.0: an `in: body` parameter, or `in: formData` ones, are the request body. */
function swaggerRequestBody(parameters: Node[], consumes: string[] | undefined): Endpoint['requestBody'] {
  const body = parameters.find((node) => (node.value as JsonObject).in === 'body');
  if (body)
    return {
      mediaTypes: consumes ?? ['application/json'],
      required: (body.value as JsonObject).required === true,
      origin: origin(body),
    };
  const form = parameters.filter((node) => (node.value as JsonObject).in === 'formData');
  if (form.length === 0) return undefined;
  return {
    mediaTypes: consumes ?? ['application/x-www-form-urlencoded'],
    required: form.some((node) => (node.value as JsonObject).required === true),
    origin: origin(form[0]!),
  };
}

function mediaList(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;
}

/** `[{oauth: [scopes]}, {}]` → `[['oauth'], []]`. */
function securityOf(value: unknown): string[][] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.map((requirement) => (isObject(requirement) ? Object.keys(requirement) : []));
}

/**
 * The media types an `Accept` / `Content-Type` header parameter proposes: its default, example or
 * enum (GitHub's `accept` parameter defaults to `application/vnd.github.v3+json`). A client that sends
 * nothing gets that version, so the API is versioned by media type.
 */
function acceptDefaults(parameters: Node[]): string[] {
  const out: string[] = [];
  for (const node of parameters) {
    const p = node.value as JsonObject;
    if (p.in !== 'header' || typeof p.name !== 'string' || !/^(accept|content-type)$/i.test(p.name)) continue;
    const schema = isObject(p.schema) ? p.schema : p;
    for (const value of [
      schema.default,
      schema.example,
      p.example,
      ...(Array.isArray(schema.enum) ? schema.enum : []),
    ]) {
      if (typeof value === 'string') out.push(value);
    }
  }
  return out;
}

function versioningOf(parameters: Parameter[], mediaTypes: string[]): Versioning | undefined {
  if (parameters.some((p) => p.in === 'header' && VERSION_HEADER.test(p.name))) return { kind: 'header' };
  if (mediaTypes.some((type) => VERSIONED_MEDIA_TYPE.test(type))) return { kind: 'media-type' };
  return undefined;
}

/** The path part of the first server URL, variables replaced by their defaults ('' when it has none). */
function serverPath(servers: Node | undefined): string {
  const first = servers && Array.isArray(servers.value) ? servers.value[0] : undefined;
  if (!isObject(first) || typeof first.url !== 'string') return '';
  const variables = isObject(first.variables) ? first.variables : {};
  const url = first.url.replace(/\{([^}]+)\}/g, (whole, name: string) => {
    const variable = variables[name];
    if (!isObject(variable)) return whole;
    const fallback = Array.isArray(variable.enum) ? variable.enum[0] : undefined;
    const value = variable.default ?? fallback;
    return typeof value === 'string' || typeof value === 'number' ? String(value) : whole;
  });
  const withoutOrigin = url.replace(/^([a-z][a-z0-9+.-]*:)?\/\/[^/]*/i, '');
  return withoutOrigin.split(/[?#]/)[0] ?? '';
}

/** Prefix + path with single slashes, no trailing slash ('/' for the root). */
export function joinPath(prefix: string, path: string): string {
  const joined = `/${prefix}/${path}`.replace(/\/{2,}/g, '/');
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined;
}
