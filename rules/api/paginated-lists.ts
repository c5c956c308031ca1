import {
  defineRule,
  isRpcMethodPath,
  LIST_WRAPPER_PROPERTIES,
  mayServeUnplaced,
  pairSides,
  serves,
  sidesOf,
  type Endpoint,
} from '../../src/rule-api.js';

/**
 * Query parameters that bound a page, compared without case, `_` or `-` (`per_page`, `pageSize`, `page[size]`…).
 * Time filters (`since`, `until`, `from`, `to`) narrow a list but do not bound it: not paging.
 */
const PAGING_PARAMETERS = new Set([
  'page',
  'perpage',
  'pagesize',
  'pagenumber',
  'pagenum',
  'limit',
  'offset',
  'cursor',
  'after',
  'before',
  'pagetoken',
  'nextpagetoken',
  'start',
  'take',
  'skip',
  'top',
  'first',
  'last',
  'maxresults',
  'startingafter',
  'endingbefore',
  'continue',
  'marker',
]);
/** Response headers that carry paging: RFC 8288 links, totals, next-page hints. */
const PAGING_HEADER =
  /^(link|x-total(-count)?|x-total-pages|x-next(-page)?|x-page(-size)?|x-per-page|x-next-cursor|x-continuation(-token)?|x-has-more|content-range)$/i;
/**
 * Body properties a client can follow to the next page on their own: a next link or cursor, a
 * pagination block. A count (`total`, `has_more`, `page`) tells the client there is more but gives it
 * no way to ask for it: without a request parameter that selects a page, that is not paging.
 */
const PAGING_PROPERTIES = new Set([
  'next',
  'nextcursor',
  'cursor',
  'nextpage',
  'nextpagetoken',
  'nextlink',
  'nexturl',
  'pagination',
  'paging',
  'pageinfo',
  'links',
  'continuation',
  'continuationtoken',
  'endcursor',
]);

const normalise = (name: string) => name.toLowerCase().replace(/[\s_\-[\]$]/g, '');

function isPaginated(endpoint: Endpoint): boolean {
  if (endpoint.parameters.some((p) => p.in === 'query' && PAGING_PARAMETERS.has(normalise(p.name)))) return true;
  if (endpoint.handler?.queryParams.some((name) => PAGING_PARAMETERS.has(normalise(name)))) return true;
  if (endpoint.handler && (endpoint.handler.pagingArgs.length > 0 || endpoint.handler.pagedBy !== undefined))
    return true;
  return endpoint.responses.some(
    (r) =>
      r.headers.some((h) => PAGING_HEADER.test(h)) ||
      r.body.properties.some((p) => PAGING_PROPERTIES.has(normalise(p))),
  );
}

/**
 * The containers the caller belongs to (`GET /workspaces`, `/user/orgs`, `/api/space`): a handful per user, read whole
 * by a switcher, and the libraries a media server's administrator sets up (`GET /api/libraries`), switched between
 * like workspaces. Owner configuration only when they are the listed collection, not below an id of something else
 * (see isOwnerConfiguration).
 */
const CONTAINERS = new Set([
  'workspaces',
  'organizations',
  'orgs',
  'org',
  'teams',
  'spaces',
  'space',
  'projects',
  'libraries',
]);

/** See OWNER_CONFIGURATION: what one person sets up and names for their own work. */
const PERSONAL_SETUP = [
  'dashboards',
  'savedviews',
  'savedsearches',
  'savedqueries',
  'folders',
  'forms',
  'resumes',
  'audiences',
  'datasources',
  'rules',
  'filters',
  'automations',
];

/**
 * Configuration an owner sets up by hand, one item at a time: the credentials it issues (API keys, API and
 * access tokens, API clients, webhooks), the custom domains it connects, the structure it sets up, its pending
 * invitations and the containers a user belongs to. They count what an administrator chose to create, not
 * what the product's use produces, so they stay a handful and clients read them whole: nobody pages them.
 * Compared without case, `_` or `-` (`apiKeys`, `api-keys`, `api_keys`). Members and collaborators are not
 * here: they grow with the organisation (SCIM, SSO provisioning).
 */
const OWNER_CONFIGURATION = new Set([
  'apikeys',
  'apitokens',
  'accesstokens',
  'personalaccesstokens',
  'customdomains',
  'clients',
  'apiclients',
  'webhooks',
  // The structure an owner sets up: environments, locales, a table's fields and views.
  'environments',
  'locales',
  'languages',
  'fields',
  'customfields',
  'views',
  // Environment variables and notification channels: set up one by one in a settings screen.
  'environmentvariables',
  'envvars',
  'notificationchannels',
  // The access structure an administrator sets up and names (user groups, roles) and the tokens people issue
  // themselves: a handful, made by hand one at a time (the members placed in them grow; they are not here).
  'groups',
  'usergroups',
  'roles',
  'tokens',
  // Pending invitations: bounded by the seats and the expiry, unlike the members they become.
  'invites',
  'invitations',
  // A person's own sign-ins and devices: one per browser or device they use (`/auth/sessions`,
  // `/users/{id}/pushSubscriptions`, `/me/passkeys`). An administrator's view of everyone's is under `admin`.
  'sessions',
  'pushsubscriptions',
  'devices',
  'passkeys',
  'authenticators',
  // The containers the caller belongs to: see CONTAINERS.
  ...CONTAINERS,
  // The credentials an owner stores for the services it connects (a provider's key, a security key): one per service.
  'credentials',
  // What a person sets up and names, one at a time, for their own work: dashboards and saved views, folders, forms,
  // resumes, audiences, the data sources they connect, and the rules and filters that automate their account. The
  // content they fill these with grows with use (a folder's files, a form's responses, a data source's rows); these
  // are the few things it is filed under (LABELLING.md, "Sets made by hand"). Everyone's, under `admin`, is judged.
  ...PERSONAL_SETUP,
]);
/**
 * The providers an owner turned on (`/custom-metadata-providers`, `/auth/providers`), or the catalogue of the ones the
 * code supports: one per service it talks to.
 */
const PROVIDERS = /providers$/;
/** Templates an administrator saves to start from (`/experiment-templates`, `/themes/templates`): a handful. */
const TEMPLATES = /templates$/;
/** `/integrations`, `/integrations/blob-storage`: the integrations an owner configured (of one kind), one per provider or target. */
const INTEGRATIONS = 'integrations';

function isOwnerConfiguration(path: string): boolean {
  const named = path
    .split('/')
    .filter((s) => s !== '' && !/^[{:]/.test(s))
    .map(normalise);
  const last =
    path
      .split('/')
      .filter((s) => s !== '')
      .at(-1) ?? '';
  if (/^[{:]/.test(last)) return false;
  // `/invitations/pending`: a state names which of the collection's items, not another collection.
  const lastNamed = named.at(-1) ?? '';
  const collection = STATES.has(lastNamed) ? named.slice(0, -1) : named;
  // REST paths named in the singular (`/api/table/{id}/field`, `/api/project`) list the same collection.
  const name = plural(collection.at(-1) ?? '');
  // `/projects/{id}/teams` lists one project's teams, which can be configuration; `/admin/{tenant}/projects`, the
  // projects of a whole tenant, is not the caller's handful of memberships.
  if (CONTAINERS.has(name) && path.split('/').some((s) => /^[{:]/.test(s))) return false;
  if ((OWN_SIGN_INS.has(name) || PERSONAL_SETUP.includes(name)) && named.includes('admin')) return false;
  return (
    OWNER_CONFIGURATION.has(name) ||
    TEMPLATES.test(name) ||
    PROVIDERS.test(name) ||
    name === INTEGRATIONS ||
    plural(collection.at(-2) ?? '') === INTEGRATIONS
  );
}

/** A person's own sign-ins and devices, among OWNER_CONFIGURATION: everyone's, under `/admin`, grows with the users. */
const OWN_SIGN_INS = new Set(['sessions', 'pushsubscriptions', 'devices', 'passkeys', 'authenticators']);

/** States that pick some items of a collection: `/invitations/pending`. */
const STATES = new Set(['pending']);

/** `field` → `fields`, `library` → `libraries`; a plural (or an empty name) as it is. */
function plural(name: string): string {
  if (name === '' || name.endsWith('s')) return name;
  return /[^aeiou]y$/.test(name) ? `${name.slice(0, -1)}ies` : `${name}s`;
}

/**
 * A vocabulary: the distinct tags or genres in use (`GET /tags`, `/journeys/tags`, `/environments/{id}/tags`), for a
 * filter or a picker. Its size is the number of different values people chose, not the rows that carry them (like a
 * groupBy), and a picker reads it whole.
 */
const VOCABULARIES = new Set(['tags', 'genres']);
/** Settings (`/settings/discover`, `/users/{id}/settings/notifications`): configuration read and saved whole. */
const SETTINGS = 'settings';

function isVocabularyOrSettings(path: string): boolean {
  const segments = path.split('/').filter((s) => s !== '');
  const last = segments.at(-1) ?? '';
  return (
    (!/^[{:]/.test(last) && VOCABULARIES.has(normalise(last))) ||
    segments.some((s) => !/^[{:]/.test(s) && normalise(s) === SETTINGS)
  );
}

/** Wrapper names that always hold the list itself. */
const LIST_WRAPPERS = new Set(LIST_WRAPPER_PROPERTIES);
const stem = (word: string) => word.replace(/(ies|es|s)$/, '');

/**
 * `GET /contextual-bandits/{id}/current` answering `{currentLeafWeights: […], latestEvent}`: an object with an array
 * field, named after neither the path nor a list wrapper, is the state of one thing, not a collection (rules.md
 * amendment). `GET /learnings` answering `{learnings: […]}` or `{data: […]}` is the list itself.
 */
function arrayFieldOfAnObject(
  endpoint: Endpoint,
  property: string | undefined,
  properties: readonly string[],
): boolean {
  if (property === undefined || properties.length < 2) return false;
  // `GET /batches/{id}/results` answering `{id, items: […]}`: an object that carries its own `id` is one thing (the
  // batch) with its parts, whatever the array is called; a page envelope has no identity of its own.
  if (properties.some((p) => normalise(p) === 'id')) return true;
  if (LIST_WRAPPERS.has(property.toLowerCase())) return false;
  const resource = normalise(
    endpoint.path
      .split('/')
      .filter((s) => s !== '' && !/^[{:]/.test(s))
      .at(-1) ?? '',
  );
  const field = normalise(property);
  // `/experiment-names` → `experiments`, `/visual-changesets` → `visualChangesets`, `/log` → `log`: the list is named
  // after the resource (the field's stem within the path's last segment, or that segment ending the field).
  return (
    resource === '' ||
    !(resource.includes(stem(field)) || field.endsWith(resource) || stem(field).endsWith(stem(resource)))
  );
}

/**
 * Reports computed over a collection (`/stats`, `/analytics`, `/payouts/count`, `/graph/stats`): counts per
 * group or per day, bounded by the grouping or the time window asked for — not the rows themselves.
 */
const AGGREGATES = new Set([
  'stats',
  'statistics',
  'analytics',
  'count',
  'counts',
  'timeseries',
  'histogram',
  'graph',
  'summary',
  'breakdown',
  'aggregate',
  'aggregates',
  'aggregations',
  'trends',
]);
const isAggregate = (path: string) => path.split('/').some((segment) => AGGREGATES.has(normalise(segment)));

const namesOneItem = (path: string) => /\/(\{[^/{}]+\}|:[A-Za-z_]\w*)$/.test(path);

/** The first successful response that returns a list, if any. */
function listResponse(endpoint: Endpoint) {
  return endpoint.responses.find((r) => /^(2\d\d|2XX)$/i.test(r.status) && r.body.collection);
}

export default defineRule({
  meta: {
    id: 'api/paginated-lists',
    title: 'List endpoints let the client ask for a bounded page',
    severity: 'warning',
    requires: ['http'],
    tags: ['api', 'performance', 'scalability'],
    why:
      'A GET that returns every row works in development and falls over in production: the response grows with the ' +
      'table, so latency, memory and bandwidth grow without bound, and one client can take the database down. Adding ' +
      'pagination later is a breaking change for every client that assumed it had everything.',
    fix:
      'Accept a page size with a server-side maximum and a cursor (or page/offset) as query parameters, and tell the ' +
      'client how to get the next page: a `next` cursor or `has_more` in the body, or a `Link` header. If the list is ' +
      'bounded by design (an enum of regions), suppress the finding with the reason. Not reported: a GET whose path ' +
      'ends in an identifier (`/threads/{id}`), which reads one thing even when that thing is sent as an array of its parts, ' +
      'and configuration an owner creates by hand, one item at a time (its API keys and tokens, user groups and roles, custom domains, ' +
      "integrations, API clients, webhooks, environments and their variables, notification channels, locales, a table's fields and views, templates, pending invitations, " +
      "the providers it turned on, the credentials it stores for the services it connects, a person's own sign-in sessions, push subscriptions, devices and passkeys (one per browser or device they use; not everyone's under `/admin`), and the workspaces, organisations, teams, projects or libraries the caller belongs to; named in the plural or the singular), which stays a handful; " +
      'so do the things one person sets up and names for their own work (dashboards and saved views, folders, forms, resumes, ' +
      'audiences, the data sources they connect, and the rules and filters that automate their account: a few, listed whole ' +
      "by the screen that shows them), while what they fill (a folder's files, a form's responses) grows with " +
      "use and is judged, and so is everyone's under `/admin`; an object that " +
      'carries its own `id`, or an array field named after neither the path nor a list wrapper (`GET /bandits/{id}/current` answering ' +
      "`{currentWeights: [...], latestEvent}`), which is one thing's state; a vocabulary (`/tags`, `/genres`: the distinct " +
      'values in use, for a picker) and settings (a path under `/settings`), read whole; and reports computed over a collection (`/stats`, `/analytics`, `/count`), ' +
      'bounded by their grouping or time window. A list served by code in the repository is judged by what its ' +
      'handler reads, followed through the services and repositories it calls: it is reported only when a read takes ' +
      'every row (`findMany` without `take`, `find`/`findAll` without a limit, `select()` without `.limit()`, `SELECT` ' +
      'without `LIMIT`), not when the reads are limited, are counts or groups, look rows up by a list of their ids (`where: { id: { in: ids } }`, ' +
      '`In(ids)`, `$in`, SQL `WHERE uuid IN (?)` or `= ANY($1)` with no `OR` or subquery: one row per id the request names, bounded by the list), touch no database, or are out of sight; a ' +
      'handler that refuses a window wider than a small written number (`if (end - start > 100) throw`) pages by range: the client reads one bounded slice at a time (a date filter with no such cap, or a cap in milliseconds, bounds nothing); a ' +
      'described operation with no code in the repository is judged by its contract. A cap the product enforces (a plan or ' +
      'per-owner maximum checked when items are created, or a fixed limit on the read) bounds a list only when its largest ' +
      'tier is small enough to return whole — a few hundred items at most: an unlimited tier or a cap in the thousands ' +
      'bounds nothing, since the response still grows with use up to that cap; archlint counts a cap it can read in the code ' +
      "(the rows of the model counted before one is created, the creation refused past a written number or a setting's " +
      "written default) and no other. A description its package does not serve (a hosted product's API, a stale " +
      'snapshot: no route of the package serves any of its operations) is not judged: its lists are out of sight; nor is a ' +
      'described list that no placed route serves when the code serving the description answers at the root of routers ' +
      'mounted where archlint cannot see (a file-system route loader): its handler may be one of them. A description that is the Swagger Petstore ' +
      'sample under another title (its `findPetsByStatus`… operations and `Pet` schema) describes nothing the project ' +
      'serves and is not judged.',
    examples: {
      bad: [
        {
          description: 'A list of orders with no way to ask for a page',
          files: {
            'openapi.yaml': [
              'openapi: 3.0.3',
              'info: { title: Orders, version: "1" }',
              'paths:',
              '  /v1/orders:',
              '    get:',
              '      responses:',
              "        '200':",
              '          description: all orders',
              '          content:',
              '            application/json:',
              '              schema: { type: array, items: { type: object } }',
              '',
            ].join('\n'),
          },
        },
      ],
      good: [
        {
          description: 'A cursor and a page size, and the next cursor in the body',
          files: {
            'openapi.yaml': [
              'openapi: 3.0.3',
              'info: { title: Orders, version: "1" }',
              'paths:',
              '  /v1/orders:',
              '    get:',
              '      parameters:',
              '        - { name: limit, in: query, schema: { type: integer, maximum: 100 } }',
              '        - { name: cursor, in: query, schema: { type: string } }',
              '      responses:',
              "        '200':",
              '          description: a page of orders',
              '          content:',
              '            application/json:',
              '              schema:',
              '                type: object',
              '                properties:',
              '                  data: { type: array, items: { type: object } }',
              '                  next_cursor: { type: string, nullable: true }',
              '',
            ].join('\n'),
          },
        },
      ],
    },
    messages: {
      unpaginated:
        '{{method}} {{path}} returns a list{{holder}} but offers no paging{{reads}}: no page size, cursor or offset parameter, no Link header, no next link or cursor in the body (a total or has_more alone gives the client no way to ask for more)',
    },
  },
  check(ctx) {
    const services = new Map(ctx.http.services.map((service) => [service.id, service]));
    const fileOf = (id: string) => services.get(id)?.origin.file;
    const code = sidesOf(ctx.http.endpoints, 'typescript', fileOf);
    const { codeFor } = pairSides(sidesOf(ctx.http.endpoints, 'openapi', fileOf), code);
    const routesOf = new Map(code.map((side) => [side.serviceId, side.endpoints]));
    // A route served by two apps (two builds of one app) is one list: reported once.
    const reported = new Set<string>();
    for (const endpoint of ctx.http.endpoints) {
      // A description of an API its package does not serve (a hosted product's, a template, a stale snapshot): the
      // code beside it cannot change that contract, and what its lists hold is not in sight.
      if (services.get(endpoint.serviceId)?.unserved) continue;
      // An RPC method's request is one message: its paging fields are not query parameters we can see.
      if (endpoint.method !== 'get' || endpoint.role !== 'resource' || isRpcMethodPath(endpoint.path)) continue;
      // A path that ends in an identifier names one thing (`/posts/{id}`, `/checks/{id}/results/{runId}`): an
      // array there is that thing's parts (a thread, one run's rows per region), bounded by it — not a collection.
      if (
        namesOneItem(endpoint.path) ||
        isOwnerConfiguration(endpoint.path) ||
        isVocabularyOrSettings(endpoint.path) ||
        isAggregate(endpoint.path)
      )
        continue;
      const list = listResponse(endpoint);
      if (
        !list ||
        isPaginated(endpoint) ||
        arrayFieldOfAnObject(endpoint, list.body.arrayProperty, list.body.properties)
      )
        continue;
      // A list in code is judged by what its handler reads; a described operation by the code serving it,
      // when the repository has that code; a description with no code behind it by its contract alone.
      const paired = new Set(endpoint.source === 'openapi' ? (codeFor.get(endpoint.serviceId) ?? []) : []);
      const routes =
        endpoint.source === 'openapi'
          ? (codeFor.get(endpoint.serviceId) ?? [])
              .flatMap((id) => routesOf.get(id) ?? [])
              .filter((route) => serves(route, endpoint))
          : [endpoint];
      if (routes.some((route) => route !== endpoint && isPaginated(route))) continue;
      // The repository's code serves this description, but no route archlint placed serves this operation, while some
      // of that code answers at the root of a router mounted where archlint cannot see (a file-system route loader):
      // the handler may be one of those, and what it reads is out of sight.
      if (
        endpoint.source === 'openapi' &&
        routes.length === 0 &&
        ctx.http.endpoints.some((route) => paired.has(route.serviceId) && mayServeUnplaced(route, endpoint))
      )
        continue;
      const read = routes.map((route) => route.handler?.reads).find((r) => r?.kind === 'unbounded');
      if ((routes.length > 0 && !read) || reported.has(JSON.stringify(endpoint.origin))) continue;
      reported.add(JSON.stringify(endpoint.origin));
      ctx.report({
        at: endpoint,
        messageId: 'unpaginated',
        data: {
          method: endpoint.method.toUpperCase(),
          path: endpoint.path,
          holder: list.body.arrayProperty ? ` (in \`${list.body.arrayProperty}\`)` : '',
          reads: read ? ` while its handler reads every row (\`${read.call}\`, no limit)` : '',
        },
        ...(read && read.origin.file !== endpoint.origin.file
          ? { related: [{ at: read.origin, message: `reads every row: \`${read.call}\` with no limit` }] }
          : {}),
      });
    }
  },
});
