import {
  defineRule,
  inSignInFlow,
  isRpcMethodPath,
  isVersionSegment,
  type Endpoint,
  addTo,
} from '../../src/rule-api.js';
import { casingStyle, inStyle, leadingVerb, words, type CasingStyle } from './_lib/path-words.js';

const STYLES: readonly CasingStyle[] = ['kebab-case', 'snake_case', 'camelCase', 'PascalCase'];
/** How many times the runner-up's count of distinct multi-word segments the dominant style needs to be the API's convention. */
const CONVENTION_LEAD = 2;

/** What the method should say instead of the verb. */
const METHOD_FOR: Record<string, string> = {
  ...Object.fromEntries(['get', 'fetch', 'retrieve', 'find', 'list', 'load', 'show'].map((v) => [v, 'GET'])),
  ...Object.fromEntries(['create', 'add', 'insert', 'make', 'generate'].map((v) => [v, 'POST'])),
  ...Object.fromEntries(['update', 'modify', 'edit', 'change', 'save', 'set'].map((v) => [v, 'PATCH'])),
  ...Object.fromEntries(['upsert', 'put'].map((v) => [v, 'PUT'])),
  ...Object.fromEntries(['delete', 'remove', 'destroy', 'purge'].map((v) => [v, 'DELETE'])),
};

/**
 * The literal segments of a path that name things: not parameters (`{id}`, unresolved `<prefix>`),
 * versions, or segments that are not plain words (`.well-known`, `_search`, `$count`, `feed.xml`).
 * A Google-style custom method (`orders/{id}:cancel`) is judged by its resource part only.
 */
function namedSegments(path: string): Array<{ index: number; text: string }> {
  return path.split('/').flatMap((raw, index) => {
    if (raw === '' || /[{}<>*]/.test(raw) || raw.startsWith(':')) return [];
    const text = raw.includes(':') ? raw.slice(0, raw.indexOf(':')) : raw;
    return /^[A-Za-z][A-Za-z0-9_-]*$/.test(text) && !isVersionSegment(text) ? [{ index, text }] : [];
  });
}

/**
 * SCIM (RFC 7644) fixes its endpoints' names and case (`/scim/v2/Users`, `/ServiceProviderConfig`), and
 * gRPC/Connect paths are `/<package>.<Service>/<Method>` with PascalCase methods by protobuf convention.
 */
const fixedByStandard = (path: string) => /\/scim(\/|$)/i.test(path) || isRpcMethodPath(path);

/**
 * Verbs that say what a POST already says, or what another method should: `POST /createUser`,
 * `POST /save-media`, `POST /users/deleteUser`, `PATCH …/rename` (and `POST /orders/{id}/cancelOrder`, see verbMatters). Other verbs on a POST, PUT or PATCH name an action that is not
 * CRUD (`/merge`, `/enable`, `/send`, `/verify`), and reads by POST (`/list`, `/search` with a filter
 * body) are a common way to query: both are accepted designs, not naming slips.
 */
const CRUD_VERBS = new Set([
  'create',
  'add',
  'insert',
  'new',
  'save',
  'update',
  'modify',
  'edit',
  'upsert',
  'delete',
  'remove',
  'destroy',
  'rename',
]);

/** Verbs that, alone at the end of a collection's path on a POST, delete the members its body lists. */
const BULK_VERBS = new Set(['delete', 'remove']);

/** Methods that send a command with a body: an action verb after them names a non-CRUD action. */
const COMMAND_METHODS = new Set(['post', 'put', 'patch']);

/** Whether a verb in a declaration's path is worth a finding, given the methods declared there. */
function verbMatters(group: Endpoint[], segment: string, verb: string, index: number): boolean {
  if (group.some((e) => !COMMAND_METHODS.has(e.method) || e.allMethods)) return true;
  const segments = group[0]!.path.split('/');
  // `POST /sentinel-activities/delete` with the targets in its body: a bulk delete. DELETE has no defined body
  // semantics (RFC 9110 §9.3.5) and `DELETE /sentinel-activities` would remove the whole collection, so a POST
  // action on the collection is the usual way (Google's `:batchDelete`). After an id
  // (`POST /users/{id}/delete`) the one thing to delete is named, and DELETE on it is the fix.
  const previous = segments[index - 1] ?? '';
  if (
    BULK_VERBS.has(segment) &&
    index === segments.length - 1 &&
    previous !== '' &&
    !/^[{:<]/.test(previous) &&
    group.every((e) => e.method === 'post')
  )
    return false;
  // `POST /trash/restore/{id}`: the verb stands where a collection's name would, before the id it acts on.
  // (A read by POST, `POST /objects/list/{bucket}` with a filter body, is a way to query.)
  const next = group[0]!.path.split('/')[index + 1];
  if (next !== undefined && /^[{:]/.test(next) && METHOD_FOR[verb] !== 'GET') return true;
  // `cancelOrder`: a verb glued to the resource's own name is an RPC call in the path (rules.md's own example).
  return CRUD_VERBS.has(verb) || (casingStyle(segment) === 'camelCase' && words(segment).length > 1);
}

/** Verbs whose object is the collection: its noun goes in the plural. */
const COLLECTION_VERBS: Record<string, true> = { create: true, add: true, insert: true, list: true };
/** Verbs that ask a yes/no question about a resource. */
const PREDICATES = new Set(['is', 'has', 'can']);
/** An English plural good enough for a suggestion: `user` → `users`, `policy` → `policies`, `box` → `boxes`. */
function plural(noun: string): string {
  if (/s$/i.test(noun)) return noun;
  if (/[^aeiou]y$/i.test(noun)) return `${noun.slice(0, -1)}ies`;
  if (/(x|z|ch|sh)$/i.test(noun)) return `${noun}es`;
  return `${noun}s`;
}

/** The same call written as a resource: `GET /v1/orderTotals` for `GET /v1/getOrderTotals`, `POST /orders/{id}:cancel` for `/orders/{id}/cancel`. */
function suggestion(
  endpoint: Endpoint,
  index: number,
  segment: string,
  verb: string,
  style: CasingStyle | undefined,
): string {
  const segments = endpoint.path.split('/');
  const noun = words(segment).slice(1);
  const rest = noun.length > 0 ? inStyle(noun, style ?? casingStyle(segment) ?? 'kebab-case') : undefined;
  const method = METHOD_FOR[verb];
  if (method) {
    // `createUser`, `listInvoices` act on the collection: name it in the plural (`POST /users`).
    const named = rest && verb in COLLECTION_VERBS ? plural(rest) : rest;
    const path = named
      ? [...segments.slice(0, index), named, ...segments.slice(index + 1)]
      : [...segments.slice(0, index), ...segments.slice(index + 1)];
    return `${method} ${path.join('/') || '/'}`;
  }
  // `isAvailable`, `hasAccess`: a fact about the resource the path names, read as one of its fields.
  if (PREDICATES.has(verb)) {
    const owner = segments.slice(0, index).join('/') || '/';
    return `GET ${owner} with a${/^[aeiou]/.test(rest ?? '') ? 'n' : ''} \`${rest ?? verb}\` field (or GET ${owner}/${rest ? inStyle(noun, style ?? 'kebab-case') : verb})`;
  }
  // `POST /resume/{jobId}`: the verb stands where the collection's name would; the id says which collection.
  const next = segments[index + 1];
  const idName = next && /^[{:]/.test(next) ? next.replace(/^[{:]|}$/g, '').replace(/[_-]?id$/i, '') : '';
  if (idName !== '') {
    const base = [...segments.slice(0, index), plural(idName), next!, ...segments.slice(index + 2)].join('/');
    return `POST ${base}:${verb} (or a noun sub-resource)`;
  }
  // An action: a custom method on the resource (Google style) or a noun sub-resource (`/cancellation`).
  // `/orders/{id}/cancelOrder` acts on the order the path already names: `/orders/{id}:cancel`.
  const parent = segments
    .slice(0, index)
    .reverse()
    .find((s) => s !== '' && !s.includes('{'));
  const named = rest !== undefined && parent !== undefined && [parent, parent.replace(/s$/, '')].includes(rest);
  const base = [...segments.slice(0, index), ...(rest && !named ? [rest] : [])].join('/');
  return `POST ${base}:${verb} (or a noun sub-resource)`;
}

/** A path with its parameters made alike, so `/resume/{id}` and `/resume/:resumeId` compare equal. */
const shapeOf = (segments: string[]) => segments.map((s) => (/^[{:]/.test(s) ? '{}' : s)).join('/');

/** Shapes of the paths the service reads or deletes (GET, DELETE): the things it holds. */
function readablePaths(endpoints: Endpoint[]): Set<string> {
  return new Set(
    endpoints.filter((e) => e.method === 'get' || e.method === 'delete').map((e) => shapeOf(e.path.split('/'))),
  );
}

/**
 * Whether the segment at `index` names something the service holds: it (or one item of it, `…/resume/{id}`)
 * is read or deleted somewhere in the service, whichever declaration says so. A word that is a verb and a
 * noun (`resume` the CV, `lock`, `merge`) then names the noun in every route under it (`PATCH /resume/{id}`).
 */
function namesResource(readable: Set<string>, path: string, index: number): boolean {
  const head = path.split('/').slice(0, index + 1);
  return readable.has(shapeOf(head)) || readable.has(shapeOf([...head, '{}']));
}

/**
 * `POST /unsubscribe/{token}`, `POST /uploads/notify/{token}`: a verb followed by a token is a link the service
 * handed out (an email's one-click unsubscribe URL, an upload ticket). The token, not the path, says what it acts
 * on, so there is no resource to name instead, and the URL is already printed in what was sent: renaming it
 * breaks the links in flight. (`/trash/restore/{trashId}` is followed by the id of a thing the service holds.)
 */
function handedOutLink(path: string, index: number): boolean {
  const next = path.split('/')[index + 1];
  // `{resetToken}`, `:verificationString`, `{confirmationCode}`: the secret of an emailed verification link.
  return next !== undefined && /^[{:<]/.test(next) && /(token|verification\w*|confirmation\w*)[}>]?$/i.test(next);
}

/**
 * `POST /files/multipart/create` beside `/multipart/complete` and `/multipart/abort`: the steps of an S3-style multipart
 * upload (CreateMultipartUpload, CompleteMultipartUpload, AbortMultipartUpload), which upload clients (Uppy's AwsS3
 * plugin and the like) call in that order under those names.
 */
function multipartUploadStep(path: string, index: number): boolean {
  const segments = path.split('/');
  return /^multipart([-_]?uploads?)?$/i.test(segments[index - 1] ?? '') && /^create$/i.test(segments[index] ?? '');
}

/**
 * `GET /users/verify-email?token=…`: the target of the link a verification e-mail carries. It is a GET because a mail
 * client opens it, its token rides in the query (no id in the path: `/users/{id}/verify-email` acts on one user), and
 * its URL is already in the inboxes of the users who have not clicked yet.
 */
function emailedLinkTarget(group: Endpoint[], segment: string): boolean {
  const [verb, object, ...rest] = words(segment).map((w) => w.toLowerCase());
  return (
    group.every((e) => e.method === 'get' && !e.allMethods) &&
    !group[0]!.path.split('/').some((s) => /^[{:<]/.test(s)) &&
    rest.length === 0 &&
    (verb === 'verify' || verb === 'confirm') &&
    (object === 'email' || object === 'mail')
  );
}

/** A path's URI version (`/api/v1/…` → 1) and what it says before and after it, for comparing versions. */
function versionParts(path: string): { before: string; version: number; after: string[] } | undefined {
  const segments = path.split('/');
  const at = segments.findIndex((s) => /^v\d+$/i.test(s));
  if (at < 0) return undefined;
  const after = segments.slice(at + 1).filter((s) => s !== '' && !/[{}<>*:]/.test(s));
  return { before: segments.slice(0, at).join('/'), version: Number(segments[at]!.slice(1)), after };
}

/**
 * Paths of an older API version whose resource the repository also serves under a newer one (`/api/v1/management/surveys/…`
 * next to `/api/v2/management/surveys`): that version is being replaced, its clients are moved to the new one, and
 * renaming its paths would only break the clients still on it. Names are fixed in the version that replaces it.
 * The resource is the first two names after the version, or the one name the newer path has (`/v0/crawl/cancel/{id}`
 * beside `/v1/crawl/{id}`): a newer `/v2/portfolio` does not supersede `/v1/admin/queue`.
 */
function supersededPaths(paths: string[]): (path: string) => boolean {
  const newer = paths.flatMap((path) => versionParts(path) ?? []);
  return (path) => {
    const own = versionParts(path);
    if (!own || own.after.length === 0) return false;
    const resource = own.after.slice(0, 2);
    return newer.some(
      (other) =>
        other.before === own.before &&
        other.version > own.version &&
        other.after.length > 0 &&
        resource
          .slice(0, Math.max(1, Math.min(resource.length, other.after.length)))
          .every((s, i) => other.after[i] === s),
    );
  };
}

/** For each path prefix of the service (parameters made alike), the distinct segments that follow it in its paths. */
function childrenByPrefix(endpoints: Endpoint[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const endpoint of endpoints) {
    const segments = endpoint.path.split('/');
    for (let i = 1; i < segments.length; i++) {
      const key = shapeOf(segments.slice(0, i));
      const set = out.get(key) ?? new Set<string>();
      set.add(shapeOf([segments[i]!]));
      out.set(key, set);
    }
  }
  return out;
}

/**
 * A segment that several different paths continue below (`/sync/status`, `/sync/pause`, `/sync/{name}/variant`)
 * heads a namespace: it names the thing those routes are about (Nango's syncs), whatever else the word can mean.
 * A verb used as an action ends its path or is followed only by the id it acts on (`/trash/restore/{id}`).
 */
function headsNamespace(children: Map<string, Set<string>>, path: string, index: number): boolean {
  return (children.get(shapeOf(path.split('/').slice(0, index + 1)))?.size ?? 0) >= 2;
}

/** Shapes of the paths the service both reads (GET) and changes (another method), on the path or on one item of it. */
function heldPaths(endpoints: Endpoint[]): Set<string> {
  const reads = new Set<string>();
  const writes = new Set<string>();
  for (const endpoint of endpoints) {
    const segments = endpoint.path.split('/');
    const shape = shapeOf(/^[{:]/.test(segments.at(-1) ?? '') ? segments.slice(0, -1) : segments);
    (endpoint.method === 'get' && !endpoint.allMethods ? reads : writes).add(shape);
  }
  return new Set([...reads].filter((shape) => writes.has(shape)));
}

/**
 * A kebab or snake compound the service reads and changes (`GET` and `PATCH /upsert-history`) is a noun phrase
 * naming what it holds — the history of upserts — even when its first word is a verb. camelCase is the RPC style
 * (`removeAvatar`), and a single word alone (`/subscribe`) stays a verb.
 */
function namesHeldCompound(held: Set<string>, path: string, index: number, segment: string): boolean {
  const style = casingStyle(segment);
  return (style === 'kebab-case' || style === 'snake_case') && held.has(shapeOf(path.split('/').slice(0, index + 1)));
}

/** Providers whose own APIs name their resources in snake_case (Stripe's `payment_methods`, OpenAI's `vector_stores`). */
const SNAKE_CASE_PROVIDERS = new Set(['stripe', 'openai', 'anthropic', 'slack', 'github', 'shopify', 'paddle']);

/**
 * `/stripe/payment_methods`, `/openai/vector_stores`, `/stripe_checkout_session`: a snake_case segment under a
 * provider's name, or led by it, repeats the provider's own resource name (an OpenAI-compatible route must). That
 * spelling is the provider's, not a slip from the API's casing.
 */
function mirrorsProvider(path: string, index: number, segment: string): boolean {
  if (casingStyle(segment) !== 'snake_case') return false;
  const previous = path.split('/')[index - 1]?.toLowerCase() ?? '';
  return SNAKE_CASE_PROVIDERS.has(previous) || SNAKE_CASE_PROVIDERS.has(words(segment)[0]!.toLowerCase());
}

/** How many route declarations a service needs before its style counts as a convention. */
const CONVENTION_MIN_ROUTES = 3;
/** Share of a service's routes named by an action verb from which verb naming is its convention: two in three, a clear majority (a resource API with a few slips stays well below: 2–17% on the labelled repositories). */
const ACTION_NAMED_SHARE = 2 / 3;
/** Share of a service's routes sent as POST (reads included, and no PUT, PATCH or DELETE anywhere) that makes it RPC over POST. */
const POST_ONLY_SHARE = 0.9;

/**
 * The service's own convention for naming calls. A service whose routes are mostly named by an action
 * verb (`/create-backup`, `/update-backup`, `/remove-job`), or that sends nearly every call as POST, reads
 * included, and never uses PUT, PATCH or DELETE (`POST /pages/info`, `/pages/create`, `/pages/delete`), is
 * RPC over HTTP by design: the path is the only place its calls can be named, and a verb there follows the
 * convention instead of breaking it. Only a service that mostly names resources has verb routes that deviate.
 */
function rpcConvention(groups: Endpoint[][], verbNamed: number): boolean {
  if (groups.length < CONVENTION_MIN_ROUTES) return false;
  if (verbNamed >= ACTION_NAMED_SHARE * groups.length) return true;
  const methods = groups.flatMap((g) => g.map((e) => (e.allMethods ? 'all' : e.method)));
  const postOnly = groups.filter((g) => g.every((e) => e.method === 'post' && !e.allMethods)).length;
  return (
    !methods.some((m) => m === 'put' || m === 'patch' || m === 'delete') && postOnly >= POST_ONLY_SHARE * groups.length
  );
}

/** How many different resources one action verb must end the paths of before naming actions so is the service's style. */
const STYLE_MIN_RESOURCES = 3;

/**
 * The resource a trailing action acts on: `POST /comment/create`, `PUT /connection/delete/{id}`,
 * `POST /canvas/createVersion` name the action in the last literal segment of the path, after the resource's
 * name (the nearest literal segment before it). Undefined when the verb is not the last literal segment
 * (`/getOrders/{id}/items`) or nothing but the path's prefix stands before it (`/api/getUsername`, `/p/updateUserEmail`: the
 * verb names the call alone, there is no resource in the path to act on).
 */
function actionTarget(path: string, index: number): string | undefined {
  const segments = path.split('/');
  if (segments.slice(index + 1).some((s) => s !== '' && !/^[{:<]/.test(s))) return undefined;
  const before = segments.slice(1, index).filter((s) => s !== '' && !/^[{:<*]/.test(s) && !isVersionSegment(s));
  // The path's prefix is not a resource: `/api`, `/open`, or a one- or two-letter mount (`/p/updateUserEmail`).
  const prefix = (segment: string) => segment.length <= 2 || /^(?:api|rest|public|open|private)$/i.test(segment);
  return before.length >= 2 || (before.length === 1 && !prefix(before[0]!)) ? before.at(-1) : undefined;
}

/** A finding waiting for the other routes with the same cause. */
type Cause = { messageId: 'verb' | 'casing' | 'actionStyle'; data: Record<string, string> };
/** How many of the other routes with the same cause a finding lists. */
const RELATED_LIMIT = 10;
/** A style finding lists the routes to rename, all of them up to this many: its fix is that list. */
const STYLE_RELATED_LIMIT = 60;

const routeOf = (group: Endpoint[]) =>
  `${group.map((e) => (e.allMethods ? 'ALL' : e.method.toUpperCase())).join(', ')} ${group[0]!.path}`;

export default defineRule({
  meta: {
    id: 'api/resource-naming',
    title: 'Paths name resources with nouns, in one casing style',
    severity: 'note',
    requires: ['http'],
    tags: ['api', 'design', 'developer-experience'],
    why:
      'In a resource-oriented API the path names a thing and the HTTP method says what to do with it: `GET ' +
      '/orders`, `POST /orders`, `DELETE /orders/{id}`. A verb in the path (`/getOrders`, `/createUser`, ' +
      '`GET /orders/{id}/cancelOrder`) duplicates or contradicts the method, hides the resource from caches, ' +
      'gateways and client generators, and invites one endpoint per action. Paths that mix casing styles ' +
      '(`/order-items` next to `/shipping_labels` and `/giftCards`) make every client guess.',
    fix:
      'Name the resource and let the method carry the action: `GET /v1/order-totals` instead of ' +
      '`GET /v1/getOrderTotals`. Model actions that are not CRUD as a noun sub-resource (`POST ' +
      '/orders/{id}/cancellation`) or a custom method in the Google style (`POST /orders/{id}:cancel`); `/search` ' +
      'is a standard action. An action verb on a POST, PUT or PATCH (`POST /tags/merge`, `PUT /plugs/{id}/activate`) is ' +
      'accepted; a CRUD verb there (`POST /createUser`, `PATCH …/rename`) and any verb on GET or DELETE are reported, ' +
      'except words that are nouns when read (`GET /desktop/update`, `GET /domains/{name}/verify`: a status). Pick one ' +
      'casing for multi-word segments (kebab-case is the most common) and use it everywhere; a segment is held to the ' +
      "API's casing only when that style has at least twice the segments of any other (an API that already mixes " +
      'styles evenly has no convention to follow). Routes hidden from the generated docs (`schema: { hide: true }`, ' +
      '`@ApiExcludeEndpoint()`) are first-party calls, not published names, and are not judged; nor are the routes of a ' +
      "service only the project's own UI calls (it reads no API key, and no bearer token beyond the one its own " +
      'sign-in gives the UI when it hands out no keys or tokens for programs: `archlint routes` shows them as ' +
      'first-party), which are renamed together with that UI. Pages and HTML form posts of a server-rendered site (`POST /account/delete`: forms cannot send ' +
      'DELETE) and scheduled-job triggers named for their task are not API resources and are not judged. Verbs are judged ' +
      "against the service's own convention: a service that is RPC over HTTP by design (two in three of its routes named by a " +
      'verb, or nearly every call a POST with no PUT, PATCH or DELETE anywhere) names its calls in the path, and its verbs are not reported. ' +
      'A service whose paths end in the same action verb for three or more resources (`/comments/create`, `/fonts/create`, ' +
      '`/notes/create`) names its actions that way by design: its routes that end in an action are one finding, not one per ' +
      'route, and none when they are RPC procedures published as REST (trpc-to-openapi `meta.openapi`), whose framework names ' +
      'the path after the procedure (a write sent as GET and a name cased unlike the API are still reported there). ' +
      "Names that are no longer the service's to choose are not judged: a verb before a `{token}` (`POST /unsubscribe/{token}`, a link " +
      'already sent in emails), paths of an older version whose resource a newer version serves (`/v1/surveys/…` next to ' +
      '`/v2/surveys`), operations marked deprecated (`deprecated: true`, `@ApiOperation({ deprecated: true })`). A bulk delete sent as ' +
      "`POST /<collection>/delete` with its targets in the body is the usual way around DELETE's undefined body. One rename is one " +
      'finding: the routes below one verb segment, or all routes spelling one odd-cased segment, are reported once with the others related. ' +
      "A snake_case segment under a provider's name (`/stripe/payment_methods`, `/openai/vector_stores`) repeats the " +
      "provider's own resource name and is not held to the API's casing. A POST to a segment naming one sender's " +
      'receiver (`/stripe-webhook`, `/mixpanel_webhook/{token}`) is a webhook, not a resource: its URL is pasted into the ' +
      "sender's settings, where a rename would break delivery.",
    examples: {
      bad: [
        {
          description: 'A verb-led camelCase segment',
          files: {
            'openapi.yaml': [
              'openapi: 3.0.3',
              'info: { title: Reports, version: "1" }',
              'paths:',
              '  /v1/getOrderTotals:',
              '    get:',
              "      responses: { '200': { description: ok } }",
              '',
            ].join('\n'),
          },
        },
      ],
      good: [
        {
          description: 'Nouns, a noun sub-resource for an action, a Google-style custom method and /search',
          files: {
            'openapi.yaml': [
              'openapi: 3.0.3',
              'info: { title: Orders, version: "1" }',
              'paths:',
              '  /v1/order-totals:',
              "    get: { responses: { '200': { description: ok } } }",
              '  /v1/orders/{id}/cancellation:',
              "    post: { responses: { '201': { description: cancelled } } }",
              '  /v1/orders/{id}:refund:',
              "    post: { responses: { '200': { description: refunded } } }",
              '  /v1/orders/search:',
              "    post: { responses: { '200': { description: matches } } }",
              '',
            ].join('\n'),
          },
        },
      ],
    },
    messages: {
      verb: '{{route}}: "{{segment}}" {{what}}, while {{resourceNamed}} of the {{total}} routes of {{service}} name resources and let the HTTP method carry the action; do the same, e.g. {{suggestion}}{{others}}',
      actionStyle:
        '{{route}}: "{{segment}}" names the action after the resource, as {{count}} routes of {{service}} do: the API puts its ' +
        'actions in the path instead of the HTTP method. One naming decision for the whole API; e.g. {{suggestion}}{{others}}',
      casing:
        '{{route}}: "{{segment}}" is {{style}}, but most multi-word segments of {{service}} are {{dominant}} (e.g. "{{example}}"); write "{{rewritten}}"{{others}}',
    },
  },
  check(ctx) {
    const names = new Map(ctx.http.services.map((service) => [service.id, service.name]));
    // One finding per path declaration (an OpenAPI path key, a route registration), naming every method declared there.
    const byService = new Map<string, Map<string, Endpoint[]>>();
    for (const endpoint of ctx.http.endpoints) {
      // Paths someone else fixed (OAuth, TUS, S3-style actions, webhooks) and probes are not named by this API.
      // A deprecated operation is on its way out: renaming it helps nobody. Sign-in flows (`/auth/verify-token`,
      // `/auth/webauthn/generate-registration-options`) are commands by nature.
      // A route the code hides from its generated docs (`schema: { hide: true }`, `@ApiExcludeEndpoint()`) is a
      // first-party call of the project's own clients, not a name it publishes; so is a route only the project's own
      // UI calls (Endpoint.firstParty: no credential an outsider would hold is read): its names are renamed with
      // the UI in one commit, and nobody outside learns them.
      if (
        endpoint.role !== 'resource' ||
        endpoint.deprecated ||
        endpoint.hiddenFromDocs ||
        endpoint.firstParty !== undefined ||
        inSignInFlow(endpoint.path)
      )
        continue;
      const groups = byService.get(endpoint.serviceId) ?? new Map<string, Endpoint[]>();
      const key = JSON.stringify(endpoint.pathOrigin);
      addTo(groups, key, endpoint);
      byService.set(endpoint.serviceId, groups);
    }
    // A newer version may be served by another router or described in another file of the repository (Firecrawl's
    // v0 router and openapi-v0.json beside its v1 API): the older paths are superseded all the same.
    const newerCandidates = ctx.http.endpoints.filter((e) => e.role === 'resource').map((e) => e.path);
    // A declaration served by two apps (two builds of one app: a server and its desktop or CLI twin) is one cause: reported once.
    const reported = new Set<string>();
    for (const [serviceId, groups] of byService) {
      // The service's casing: the style most of its distinct multi-word segments use.
      const styles = new Map<CasingStyle, Set<string>>();
      for (const group of groups.values()) {
        if (fixedByStandard(group[0]!.path)) continue;
        for (const { text } of namedSegments(group[0]!.path)) {
          const style = casingStyle(text);
          if (style) styles.set(style, (styles.get(style) ?? new Set()).add(text));
        }
      }
      const ranked = STYLES.filter((s) => styles.has(s)).sort((a, b) => styles.get(b)!.size - styles.get(a)!.size);
      const dominant = ranked[0];
      // A convention is what the API clearly follows: its style has at least twice the segments of the next
      // one. When the styles are close to even (7 kebab-case, 8 camelCase segments), the API has none to hold
      // a segment to: renaming one shipped path would only move it from one camp to the other.
      const runnerUp = ranked[1];
      const convention =
        dominant !== undefined &&
        (runnerUp === undefined || styles.get(dominant)!.size >= CONVENTION_LEAD * styles.get(runnerUp)!.size);
      const readable = readablePaths([...groups.values()].flat());
      const children = childrenByPrefix([...groups.values()].flat());
      const held = heldPaths([...groups.values()].flat());
      // Which declarations carry an action verb at all, to learn the service's convention.
      const verbNamed = [...groups.values()].filter((group) => {
        const first = group[0]!;
        const resource = group.some((e) => e.method === 'get' || e.method === 'delete');
        return (
          !fixedByStandard(first.path) &&
          namedSegments(first.path).some(
            (s) => leadingVerb(s.text, resource || namesResource(readable, first.path, s.index)) !== undefined,
          )
        );
      }).length;
      const rpc = rpcConvention([...groups.values()], verbNamed);
      const superseded = supersededPaths(newerCandidates);
      const causes = new Map<
        string,
        { first: Endpoint; report: Cause; routes: Array<{ route: string; at: Endpoint['pathOrigin'] }> }
      >();
      const pending = (key: string, group: Endpoint[], report: Cause) => {
        const cause = causes.get(key) ?? { first: group[0]!, report, routes: [] };
        cause.routes.push({ route: routeOf(group), at: group[0]!.pathOrigin });
        causes.set(key, cause);
      };
      // A segment written in another casing than the API's convention, one cause per segment.
      const checkCasing = (group: Endpoint[]) => {
        const first = group[0]!;
        if (ranked.length < 2 || !convention || fixedByStandard(first.path)) return;
        const odd = namedSegments(first.path).find((s) => {
          const style = casingStyle(s.text);
          return style !== undefined && style !== dominant && !mirrorsProvider(first.path, s.index, s.text);
        });
        if (!odd || !dominant) return;
        // One cause, one finding: every route that spells this segment in the odd style is fixed by one
        // decision (`feedbackRecords` → `feedback-records` under all its routes); the others are related.
        pending(`casing ${odd.text}`, group, {
          messageId: 'casing',
          data: {
            route: routeOf(group),
            segment: odd.text,
            style: casingStyle(odd.text)!,
            service: names.get(serviceId) ?? serviceId,
            dominant,
            example: [...styles.get(dominant)!][0]!,
            rewritten: inStyle(words(odd.text), dominant),
          },
        });
      };
      const verbHits: Array<{ group: Endpoint[]; withVerb: { index: number; text: string; verb?: string } }> = [];
      for (const group of groups.values()) {
        const first = group[0]!;
        if (superseded(first.path)) continue;
        const segments = namedSegments(first.path);
        const resource = group.some((e) => e.method === 'get' || e.method === 'delete');
        const withVerb =
          fixedByStandard(first.path) || rpc
            ? undefined
            : segments
                .map((s) => ({
                  ...s,
                  verb: leadingVerb(s.text, resource || namesResource(readable, first.path, s.index)),
                }))
                .find(
                  (s) =>
                    s.verb !== undefined &&
                    verbMatters(group, s.text, s.verb, s.index) &&
                    !handedOutLink(first.path, s.index) &&
                    !emailedLinkTarget(group, s.text) &&
                    !multipartUploadStep(first.path, s.index) &&
                    !headsNamespace(children, first.path, s.index) &&
                    !namesHeldCompound(held, first.path, s.index, s.text),
                );
        if (withVerb) {
          verbHits.push({ group, withVerb });
          continue;
        }
        checkCasing(group);
      }
      // The service's own naming style: when the same action verb ends the paths of several different resources
      // (`/comment/create`, `/font/create`, `/note/create`, then `/font/update`, `/tags/delete-only-tag`), that is one design
      // decision of the API, reported once with the other routes related, not a slip of each route. Procedures of an
      // RPC framework published as REST (trpc-to-openapi `meta.openapi`) follow that framework's convention, the
      // procedure's name as the path's last segment: not reported at all.
      const trailing = verbHits.filter(
        ({ group, withVerb }) => actionTarget(group[0]!.path, withVerb.index) !== undefined,
      );
      const targetsByVerb = new Map<string, Set<string>>();
      for (const { group, withVerb } of trailing) {
        const verb = withVerb.verb!.toLowerCase();
        targetsByVerb.set(
          verb,
          (targetsByVerb.get(verb) ?? new Set()).add(actionTarget(group[0]!.path, withVerb.index)!),
        );
      }
      const styled = [...targetsByVerb.values()].some((targets) => targets.size >= STYLE_MIN_RESOURCES);
      const rpcFramework = styled && trailing.every(({ group }) => group.every((e) => e.published));
      for (const { group, withVerb } of verbHits) {
        const first = group[0]!;
        const alone = words(withVerb.text).length === 1;
        if (styled && trailing.some((hit) => hit.group === group)) {
          if (!rpcFramework) {
            pending('actionStyle', group, {
              messageId: 'actionStyle',
              data: {
                route: routeOf(group),
                segment: withVerb.text,
                count: String(trailing.length),
                service: names.get(serviceId) ?? serviceId,
                suggestion: suggestion(first, withVerb.index, withVerb.text, withVerb.verb!, dominant),
              },
            });
            continue;
          }
          // The framework's naming is not judged, but a write sent as GET (`GET /tasks/upsert`) contradicts its own
          // name whatever the convention, and a name cased unlike the rest of the API is still an outlier.
          const write = METHOD_FOR[withVerb.verb!.toLowerCase()];
          if (!(write && write !== 'GET' && group.some((e) => e.method === 'get' && !e.allMethods))) {
            checkCasing(group);
            continue;
          }
        }
        // One cause, one finding: the routes below one verb segment (`GET` and `DELETE …/subscribe` declared
        // apart, `/posts/find-slot` and `/posts/find-slot/{id}`) are fixed by one rename of that segment.
        const key = `verb ${shapeOf(first.path.split('/').slice(0, withVerb.index + 1))}`;
        pending(key, group, {
          messageId: 'verb',
          data: {
            route: routeOf(group),
            segment: withVerb.text,
            what: alone ? 'is a verb' : `starts with the verb "${withVerb.verb}"`,
            suggestion: suggestion(first, withVerb.index, withVerb.text, withVerb.verb!, dominant),
            resourceNamed: String(groups.size - verbNamed),
            total: String(groups.size),
            service: names.get(serviceId) ?? serviceId,
          },
        });
      }
      for (const { first, report, routes } of causes.values()) {
        const once = `${report.messageId} ${JSON.stringify(first.pathOrigin)}`;
        if (reported.has(once)) continue;
        reported.add(once);
        const others = routes.slice(1);
        ctx.report({
          at: first.pathOrigin,
          ...report,
          data: {
            ...report.data,
            others:
              others.length === 0 ? '' : ` (and ${others.length} more route${others.length === 1 ? '' : 's'} with it)`,
          },
          related: others
            .slice(0, report.messageId === 'actionStyle' ? STYLE_RELATED_LIMIT : RELATED_LIMIT)
            .map((other) => ({
              at: other.at,
              message:
                report.messageId === 'actionStyle'
                  ? `${other.route} names its action the same way`
                  : `${other.route} has the same segment`,
            })),
        });
      }
    }
  },
});
