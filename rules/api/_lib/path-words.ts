/**
 * api/resource-naming: what a path segment is made of — its words and casing style — and which
 * words are verbs, and when. Many verbs are nouns too (`/search`, `/check-runs`, `/exports`,
 * `load_balancers`, `merge_requests`), so each verb says when it counts: alone, leading a compound.
 */

export type CasingStyle = 'kebab-case' | 'snake_case' | 'camelCase' | 'PascalCase';

/**
 * How a verb is judged: `alone` — as a whole segment (`/orders/{id}/cancel`): always, or only when
 * the path is not a resource itself (no GET or DELETE on it: `/issues/{n}/lock` with PUT and DELETE
 * is a lock you create and remove); `lead` — leading a compound: in any style (`cancel-order`), only
 * in camelCase, the style of RPC-like APIs (`listOrders`, but not `list_members`), or never.
 */
interface VerbUse {
  alone: 'always' | 'unless-resource' | 'never';
  lead: 'any' | 'camel' | 'never';
}

const USES: Array<[string, VerbUse]> = [
  // Verbs that are not nouns in API paths.
  ...wordList(
    'get fetch retrieve find create insert upsert modify edit delete remove destroy purge cancel activate deactivate ' +
      'enable disable send resend notify submit approve reject decline deny confirm authenticate register ' +
      'subscribe unsubscribe unfollow unblock unban unlock assign unassign attach detach publish unpublish unarchive rename ' +
      'calculate recalculate compute evaluate analyze analyse parse translate transform compress encrypt decrypt encode ' +
      'decode apply reload rebuild reindex regenerate renew resolve uninstall increment decrement toggle generate execute ' +
      'reboot rerun save clear flush convert accept put',
  ).map((w): [string, VerbUse] => [w, { alone: 'always', lead: 'any' }]),
  // Verbs that are nouns when a path is read (`GET /desktop/update`, a software update's manifest; `GET
  // /domains/{name}/verify`, the domain's verification status), and verbs everywhere else (`POST …/update`,
  // `update-storage`, `verify-email`).
  ...wordList('update verify validate').map((w): [string, VerbUse] => [w, { alone: 'unless-resource', lead: 'any' }]),
  // Verbs that lead noun compounds in snake/kebab case (`list_members`, `add-ons`, `change-requests`).
  ...wordList('list show add change do make').map((w): [string, VerbUse] => [
    w,
    { alone: 'unless-resource', lead: 'camel' },
  ]),
  // Verbs that are nouns too, also leading compounds (`load_balancers`, `restartCount`, `startDate`, `merge_requests`, `refreshTokens`, `deploy_keys`).
  ...wordList(
    'load run start stop restart reset refresh restore resume pause lock merge block ban follow join trigger move close ' +
      'complete finish pay buy print install deploy clone kick retry sync invite',
  ).map((w): [string, VerbUse] => [w, { alone: 'unless-resource', lead: 'never' }]),
  // Lead noun phrases as often as verb phrases (`check-runs`, `search-results`, `export-jobs`), and name standard actions alone (`/search`).
  ...wordList('check search export import upload download process handle').map((w): [string, VerbUse] => [
    w,
    { alone: 'never', lead: 'camel' },
  ]),
  // Make a verb phrase only when they lead one (`setStatus`, `markRead`).
  ...wordList('set mark').map((w): [string, VerbUse] => [w, { alone: 'never', lead: 'any' }]),
  // Predicates read a boolean property (`GET /billing/is-trial-finished`, `/can-register`): a read of a fact,
  // named as one. Only the RPC style (`isAvailable`, `hasAccess` in camelCase) names a call.
  ...wordList('is has can').map((w): [string, VerbUse] => [w, { alone: 'never', lead: 'camel' }]),
];
const VERB_USES = new Map(USES);

function wordList(list: string): string[] {
  return list.split(/\s+/).filter((w) => w !== '');
}

/** Words of a segment in lower case: `getOrderTotals` → get, order, totals; `create-user` → create, user. */
export function words(segment: string): string[] {
  return segment
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter((w) => w !== '')
    .map((w) => w.toLowerCase());
}

/** The casing style of a segment of several words; undefined for one lower-case word, numbers, ALL CAPS or a mix. */
export function casingStyle(segment: string): CasingStyle | undefined {
  if (/^[a-z][a-z0-9]*(-[a-z0-9]+)+$/.test(segment)) return 'kebab-case';
  if (/^[a-z][a-z0-9]*(_[a-z0-9]+)+$/.test(segment)) return 'snake_case';
  if (/^[a-z][a-z0-9]*([A-Z][a-z0-9]*)+$/.test(segment)) return 'camelCase';
  if (/^[A-Z][a-z0-9]+([A-Z][a-z0-9]*)*$/.test(segment)) return 'PascalCase';
  return undefined;
}

/** Writes words in a casing style: (order, totals) → order-totals / order_totals / orderTotals / OrderTotals. */
export function inStyle(parts: string[], style: CasingStyle): string {
  const capital = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);
  switch (style) {
    case 'kebab-case':
      return parts.join('-');
    case 'snake_case':
      return parts.join('_');
    case 'camelCase':
      return parts.map((w, i) => (i === 0 ? w : capital(w))).join('');
    case 'PascalCase':
      return parts.map(capital).join('');
  }
}

/**
 * The verb a segment is or starts with (`cancel`, `getOrderTotals` → get), or undefined for a noun.
 * `resource`: the path is read or deleted (GET or DELETE declared on it), so a word that is both a
 * verb and a noun names a thing there (`/pulls/{n}/merge`, `/metrics/load`).
 */
export function leadingVerb(segment: string, resource: boolean): string | undefined {
  const parts = words(segment);
  const first = parts[0];
  const use = first === undefined ? undefined : VERB_USES.get(first);
  if (!use) return undefined;
  if (parts.length === 1)
    return use.alone === 'always' || (use.alone === 'unless-resource' && !resource) ? first : undefined;
  return use.lead === 'any' || (use.lead === 'camel' && casingStyle(segment) === 'camelCase') ? first : undefined;
}
