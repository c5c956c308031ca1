/**
 * Secret-like names: `password`, `DB_PASS`, `client_secret`, `apiKey`, `AUTH_JWT_SECRET`,
 * `x-api-key`, `STRIPE_KEY` … but not `password_min_length`, `tokenUrl`, `secretName`,
 * `cacheKey` or `api_key_id`. The name's last word decides: it must name the secret itself.
 */

/** Last words that name a secret. */
const SECRET_WORDS = new Set([
  'password',
  'passwd',
  'pwd',
  'pass',
  'passphrase',
  'secret',
  'secrets',
  'token',
  'apikey',
  'key',
  'credential',
  'credentials',
  'authorization',
  'bearer',
  'privatekey',
  'secretkey',
  'accesskey',
  'authtoken',
]);

/** Words that may follow the secret word without changing what the value is (`API_KEY_VALUE`). */
const TRAILING_NOISE = new Set([
  'value',
  'val',
  'str',
  'string',
  'raw',
  'b64',
  'base64',
  'hex',
  'plain',
  'text',
  'data',
  'default',
  'fallback',
]);

/**
 * `<word>Key` compounds that are not secrets (database, cache, i18n and UI keys; publishable or site
 * keys that are public by design).
 */
const NON_SECRET_KEY_QUALIFIERS = new Set([
  // Cocoa's argument labels (`forKey:`, `forInfoDictionaryKey:`), ordinal and theme keys: names looked up by.
  'for',
  'dictionary',
  'first',
  'second',
  'theme',
  'cache',
  'primary',
  'foreign',
  'sort',
  'partition',
  'routing',
  'idempotency',
  'storage',
  'local',
  'i18n',
  'translation',
  'message',
  'map',
  'object',
  'list',
  'row',
  'column',
  'unique',
  'lookup',
  'hash',
  'range',
  'search',
  'index',
  'query',
  'public',
  'publishable',
  'site',
  'react',
  'item',
  'group',
  'sub',
  'composite',
  'dedupe',
  'dedup',
  'lock',
  'redis',
  'l10n',
  'cursor',
  'page',
  'state',
  'store',
  'entity',
  'field',
  'prop',
  'attr',
  'hot',
  'short',
  'keyboard',
  'translate',
  'label',
  'config',
  'setting',
  'settings',
  'env',
  'feature',
  'flag',
  'metric',
  'event',
  'queue',
  'topic',
  'bucket',
  'file',
  'path',
  // De-duplication and tracing keys name a request, not a credential.
  'deduplication',
  'correlation',
  'trace',
  'request',
  'nonce',
  // UI text keys (`titleKey="…"`, `descriptionKey`, `errorKey`): message ids.
  'title',
  'description',
  'placeholder',
  'error',
  'tooltip',
  'heading',
  'subtitle',
  'caption',
  // Table and form libraries' field keys (`accessorKey: 'invoicePDF'` in TanStack Table column definitions).
  'accessor',
  // Names of things looked up by key: a plan's offer, a project in a code-quality service, a Kubernetes
  // topology label, a Docker config entry, a chart's series. (`dataKey` stays: a KMS data key is a secret.)
  'offer',
  'plan',
  'product',
  'price',
  'coupon',
  'option',
  'project',
  'topology',
  'json',
  'dimension',
  'series',
  'table',
  'schema',
  'model',
  'type',
  'kind',
  'name',
  'slot',
  'role',
  'scope',
  'locale',
  'route',
  'template',
  'tab',
  'step',
  'view',
  // Analytics write keys (Segment, RudderStack, Jitsu: `writeKey`) identify a source to the ingestion API and
  // ship inside every browser and CLI that sends events: write-only, public by design, like PostHog's `phc_`.
  'write',
]);

/** Qualifiers that make any secret word name something else: a digest, ciphertext, a public half, a masked copy. */
const NOT_THE_SECRET = new Set([
  'hashed',
  'hash',
  'encrypted',
  'masked',
  'redacted',
  'public',
  'ssh',
  'last4',
  'obfuscated',
  'sealed',
]);

/** Prefixes of the variables front-end builds inline into the page (Next.js, Vite, Create React App and Nx, Expo, Gatsby, Nuxt, SvelteKit/Astro). */
const BROWSER_BUNDLE_PREFIX =
  /^(?:NEXT_PUBLIC|VITE|(?:NX_)?REACT_APP|EXPO_PUBLIC|GATSBY|NUXT_PUBLIC|PUBLIC)_[A-Z0-9_]+$/;

/** Splits `AUTH_JWT_SECRET`, `secretOrKey`, `x-api-key`, `APIKey`, `i18nKey` into lower-case words. */
export function nameWords(name: string): string[] {
  return (name.match(/[iI]18[nN]|[lL]10[nN]|[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+/g) ?? []).map((word) =>
    word.toLowerCase(),
  );
}

/** Does this name (variable, property, key, env var) hold a secret? */
export function isSecretName(name: string): boolean {
  // `@scope/api-key` in package.json: a package's name, not a variable's.
  if (name.startsWith('@')) return false;
  // `NEXT_PUBLIC_…`, `VITE_…`, `REACT_APP_…`: the build writes these into the browser bundle every visitor
  // downloads — public by design (a write-only analytics key, a client id). A real key there is still
  // found by its provider's format.
  if (BROWSER_BUNDLE_PREFIX.test(name)) return false;
  // A pre-signed URL's `X-Amz-Credential` query parameter: the access key id and its scope (`AKIA…/date/region/s3/…`),
  // shown by design in every link it signs; the secret half is not in the link (providers.ts: PRESIGNED_CREDENTIAL).
  if (/^x-amz-credential$/i.test(name)) return false;
  const words = nameWords(name);
  // `SECRET_KEY_BASE`: Rails' and Phoenix's name for the key that signs their sessions and cookies.
  if (words.slice(-3).join('_') === 'secret_key_base') return true;
  while (words.length > 1 && TRAILING_NOISE.has(words[words.length - 1]!)) words.pop();
  const last = words[words.length - 1];
  if (last === undefined || !SECRET_WORDS.has(last)) return false;
  const previous = words[words.length - 2];
  if (previous !== undefined && NOT_THE_SECRET.has(previous)) return false;
  // `publicDidKey`, `PUBLIC_SIGNING_KEY`: the public half of a key pair, whatever words stand between; a
  // publishable key (`PUBLISHABLE_CLIENT_KEY`, `stripePublishableKey`) is made to ship in clients, likewise.
  if (words.slice(0, -1).some((word) => word === 'public' || word === 'publishable')) return false;
  // A search-only key (`ALGOLIA_SEARCH_API_KEY`, `TYPESENSE_SEARCH_ONLY_KEY`): made to ship to the browser, it
  // can only query a public index — public by design, as the providers document.
  if (isSearchOnlyKeyName(words)) return false;
  if (isIngestKeyName(words)) return false;
  if (last === 'key' || last === 'token') {
    // `key`/`token` alone, or after a qualifier that makes it a lookup key (`cacheKey`, `sortKey`, `pageToken`).
    if (previous === undefined) return last === 'token';
    if (NON_SECRET_KEY_QUALIFIERS.has(previous)) return false;
  }
  // `csrf_token`, `next_page_token`: generated per request or pagination cursors, never configuration.
  if (
    last === 'token' &&
    (previous === 'csrf' || previous === 'xsrf' || previous === 'page' || previous === 'continuation')
  )
    return false;
  return true;
}

/**
 * Services whose plain key only sends events in: a PostHog project key (`POSTHOG_KEY`,
 * `POSTHOG_API_KEY`; the secret one is the personal API key), a Mixpanel project token, an Amplitude
 * API key, a product's anonymous-telemetry key (`JITSU_SERVER_ANONYMOUS_TELEMETRY_KEY`) that every
 * self-hosted copy ships with. They identify where events go and are made to sit in every browser
 * or installed copy; the same service's secret, personal or admin key is a different name.
 */
const INGEST_SERVICES = new Set(['posthog', 'mixpanel', 'amplitude', 'telemetry']);
const PRIVILEGED_KEY_WORDS = new Set(['secret', 'personal', 'private', 'admin', 'management']);

function isIngestKeyName(words: readonly string[]): boolean {
  return words.some((word) => INGEST_SERVICES.has(word)) && !words.some((word) => PRIVILEGED_KEY_WORDS.has(word));
}

/** Search services whose search key is public by design (the admin key is a different name). */
const SEARCH_SERVICES = new Set(['algolia', 'typesense', 'meili', 'meilisearch', 'docsearch']);

function isSearchOnlyKeyName(words: readonly string[]): boolean {
  const search = words.indexOf('search');
  if (search === -1) return false;
  return words[search + 1] === 'only' || words.slice(0, search).some((word) => SEARCH_SERVICES.has(word));
}

/** Letters and digits only, lower case: `SET_COMPONENT_CREDENTIALS` and `set-component-credentials` read alike. */
const squeeze = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');
/** Names shorter than this are words a random value may hold by chance (`key`, `pwd`). */
const MIN_SELF_NAME = 6;

/**
 * Does the value spell the name it is given? `SET_COMPONENT_CREDENTIALS = '@canvas/SET_COMPONENT_CREDENTIALS'`
 * (a Redux action type), `API_TOKEN: 'API_TOKEN'` (an enum member), `apiKeyField = 'apiKey-field'`: a
 * constant whose value is its own name is a label for a thing, never the thing. A generated key
 * does not contain the words of its variable.
 */
export function valueSpellsName(name: string, value: string): boolean {
  const spelled = squeeze(name);
  if (spelled.length >= MIN_SELF_NAME && squeeze(value).includes(spelled)) return true;
  // A metadata key named for what it marks plus `_KEY` (`SKIP_2FA_ENROLLMENT_KEY = 'skip2FAEnrollment'`,
  // `IS_PUBLIC_KEY = 'isPublic'`, NestJS `SetMetadata` keys): the value is the name without its last word.
  const words = nameWords(name);
  const marked = squeeze(words.slice(0, -1).join(''));
  return (
    words.length > 1 &&
    SECRET_WORDS.has(words[words.length - 1]!) &&
    marked.length >= MIN_SELF_NAME &&
    squeeze(value) === marked
  );
}
