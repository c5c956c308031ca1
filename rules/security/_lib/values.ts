/**
 * Is a literal a secret, or something that only looks like one? The false-positive controls of
 * security/no-hardcoded-secrets live here: references to configuration, placeholders, documented
 * example keys, human text, hashes, UUIDs and public identifiers are never secrets; everything
 * else must look random enough (length, character classes and entropy thresholds).
 */
import { createHash } from 'node:crypto';
import { isDevChainKey } from './dev-chain-keys.js';
import { isPublicDemoToken } from './demo-tokens.js';

/** How sure the context already is that the value is a secret; the less sure, the more random it must look. */
export type Strictness =
  /** Passed to a signing/encryption call: any non-trivial literal is a key. */
  | 'sink'
  /** Assigned to a secret-like name (`password`, `api_key`, …) or an env fallback of one. */
  | 'named'
  /** No name at all: must look like a random token on its own. */
  | 'anonymous';

const THRESHOLDS: Record<Strictness, { minLength: number; minEntropy: number; minClasses: number }> = {
  sink: { minLength: 8, minEntropy: 2.5, minClasses: 1 },
  // Under a secret-like name, values shorter than 10 characters were dev defaults and stubs on real code
  // (`teable123`, a bare `sk-proj-` prefix): a guess that short is noise.
  named: { minLength: 10, minEntropy: 3.0, minClasses: 2 },
  anonymous: { minLength: 20, minEntropy: 3.7, minClasses: 3 },
};

/** Keys published in provider documentation as examples (AWS's own docs, express-session's README). */
const DOCUMENTED_EXAMPLES = new Set([
  'AKIAIOSFODNN7EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'keyboard cat',
]);

/**
 * Marks of a stand-in rather than a credential, anywhere in the value (case-insensitive). Short
 * words must stand apart (`my-fake-key`, not `…2tOdoh…` inside a random token): SHORT_WORDS.
 */
const PLACEHOLDER_WORDS =
  /change[-_ ]?me|example|dummy|placeholder|sample|redacted|replace[-_ ]?(?:me|with|this)|insert[-_ ]?(?:your|here)|s3cr3t|notasecret|not[-_ ]?a[-_ ]?(?:real[-_ ]?)?secret|do[-_ ]?not[-_ ]?use|\*\*\*|\.\.\.|…|0000000000/i;

/** Short marks, standing apart from letters (`my-fake-key`, `test_123`); in a long value, from digits too. */
const SHORT_WORDS = /(?:^|[^a-z])(?:test|todo|fixme|fake|mock|your|here)(?:[^a-z]|$)/i;
const SHORT_WORDS_APART = /(?:^|[^a-z0-9])(?:test|todo|fixme|fake|mock|your|here)(?:[^a-z0-9]|$)/i;

/**
 * `xxxx` marks a stand-in (`sk_live_xxxxxxxx`, `xxxx-xxxx`). In a long value (a key body, a certificate, a
 * token: over 100 characters) four x's of mixed case turn up by chance in base64 — one private key body in
 * two thousand — so there only a run of one case standing apart, or of six or more, counts; a short word
 * (`8ToDo4`) likewise must stand apart from digits there, not only from letters.
 */
function xRun(value: string): boolean {
  if (!/x{4}/i.test(value)) return false;
  return value.length <= 100 || /(?:^|[^A-Za-z0-9])(?:x{4,}|X{4,})(?![A-Za-z0-9])|x{6,}|X{6,}/.test(value);
}

/**
 * Credentials that local development stacks document as their defaults: the official database
 * images' usual passwords, MinIO's `minioadmin`, RabbitMQ's `guest`, LocalStack's `test`,
 * Java's keystore `changeit`. They open a container on the developer's machine, nothing else.
 */
const WELL_KNOWN_DEFAULTS =
  /^(?:minioadmin|minio123|postgres(?:ql)?|mysql|mariadb|mongo(?:db)?|redis|rabbitmq|localstack|keycloak|supabase|changeit)[\d\W_]*$/i;

/** Letters typed as digits or symbols (`p0stgr3s`, `p@ssw0rd`, `s3cr3t`): read back as letters. */
const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's' };

/** `p0stgr3s` → `postgres`, `p@ss/word` → `password`: the word behind a disguised default. */
function unLeet(value: string): string {
  return value.replace(/[013457@$]/g, (ch) => LEET[ch] ?? ch).replace(/[^A-Za-z]/g, '');
}

/**
 * Whole values that are placeholders, also with digits or punctuation around them (`password123!`, `321.qwerty`) or
 * owned by the reader (`mypassword`, `your_api_key`: a sample written for someone to replace).
 */
const PLACEHOLDER_VALUE =
  /^[\d\W_]*(?:(?:my|your)[-_]?)?(?:test(?:ing|s)?|pass(?:word|wd|phrase)?|pwd|secret|secrets|token|api[-_]?key|key|admin|root|user(?:name)?|guest|default|none|null|nil|undefined|empty|true|false|letmein|qwerty|abc|foo(?:bar)?|bar|baz|demo|local|localhost|dev(?:elopment)?|staging|prod(?:uction)?|welcome|hello|s3cr3t|p[a@]ssw[o0]rd)[\d\W_]*$/i;

/**
 * A value spelled only from the names of what it stands for, owned by the reader: `mysecretpassword` (the
 * password the official PostgreSQL image's documentation shows), `your_secret_key`, `my-db-password`. Such a
 * value is written for someone to replace; a person choosing a real key does not name it after itself. (Without
 * `my`/`your` a compound such as `supersecret` is still a chosen value, judged as usual.)
 */
/**
 * The name of an account followed by the word for its password (`rootpassword`, `admin_pass`, `userpwd`): the
 * password spelled as its own description, a default the reader is to replace — like `password` itself, which no one
 * generates.
 */
const ACCOUNT_PASSWORD_WORDS =
  /^(?:root|admin|user|db|database|default|guest|master)[-_]?(?:pass(?:word|wd)?|pwd)[\d\W_]*$/i;

const OWNED_NAME_WORDS =
  /^(?:my|your)[-_]?(?:(?:secret|pass(?:word|wd|phrase)?|pwd|db|database|postgres|mysql|redis|api|app|access|private|auth|jwt|session|key|token)[-_]?){2,4}[\d\W_]*$/i;

/**
 * A translation key of NodeBB's i18n syntax, `[[namespace:key]]` (`[[user:info.banned-expiry]]`, also with
 * arguments `[[error:invalid-x, %1]]`): the client replaces it with the text of the reader's language. A variable
 * named `…Key` that holds one names a message, not a credential.
 */
/**
 * A variable's name written where a value would be (`Authorization=voyage_api_key` in a notebook's Python, a shell
 * `--token=github_token`; in a notebook the line's escaped `\n` follows): lower-case words joined by `_`, the last of
 * them naming a credential; or an environment variable's name in capitals (`envVarClientSecret =
 * 'OAUTH2_AIRTABLE_CLIENT_SECRET'`: where the secret is read from). A generated secret is not spelled in words, and a
 * person's chosen one does not end by saying what it is.
 */
const CREDENTIAL_VARIABLE_NAME =
  /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*_(?:api_?key|key|token|secret|password|passwd|pwd)(?:\\[nr])*$|^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*_(?:API_?KEY|KEY|TOKEN|SECRET|PASSWORD|PASSWD|PWD)$/;

const TRANSLATION_KEY = /^\[\[[\w-]+:[\w.-]+(?:,[^\]]*)?\]\]$/;

/**
 * A keyboard shortcut: modifier keys joined by `+` to a key (`ctrl+shift+z`, `Cmd+Alt+ArrowUp`, `fn+↓`), the value a
 * shortcut table stores under `winKey`/`macKey`. A generated secret is not spelled from the names of keys.
 */
const KEY_CHORD =
  /^(?:(?:ctrl|control|shift|alt|altgr|option|opt|cmd|command|meta|super|win|windows|mod|fn|hyper|cmdorctrl|commandorcontrol|cmdorcontrol)[ \t]*\+[ \t]*)+(?:[a-z]+\d*|f\d{1,2}|\d|[^\w\s])$/i;

/**
 * A custom HTTP header's name, capitalised words after `X-` (`X-WildDuck-Seen`, `X-API-Version`): a variable named
 * `loopKey` that holds one names the header a key travels in, not the key.
 */
const HEADER_NAME = /^X-(?:[A-Z][a-z]+|[A-Z]{2,})+(?:-(?:[A-Z][a-z]+|[A-Z]{2,}|\d+))*$/;

/**
 * A reference to a secret stored elsewhere, written `@name` in lower-case words (Vercel's `now.json` env values
 * `"@redis-labs-password"`, a stored secret's handle): a generated value is not spelled in words after an `@`.
 */
const AT_REFERENCE = /^@[a-z][a-z0-9]*(?:[-_.][a-z0-9]+)*$/;

/** Make's escaped dollar (`--token $$GITHUB_TOKEN`): the shell's `$GITHUB_TOKEN`, read when the recipe runs. */
const MAKE_SHELL_VARIABLE = /^\$\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/;

/**
 * References to configuration instead of a value: env lookups, template and interpolation syntax,
 * secret-store pointers, printf conversions that a value is written into (`KEY=%s\n`).
 * (`${VAR}`, `{{ x }}`, `<your-key>`, `%VAR%`, `$VAR`, `env("X")`, …), a shell variable quoted inside
 * another string (`\"$smtp_password\"` in a `sed` or `echo` command), a path under a variable
 * (`$RUNNER_TEMP/AuthKey.p8`: where a key file is, not the key).
 */
// References, not values: env and config lookups, template and format placeholders, `\(name)` (Swift interpolation)…
const REFERENCE =
  /^\\["']\$[A-Za-z_][A-Za-z0-9_]*\\["']|^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?\/|(?:^|[^%])%[sdq](?![A-Za-z0-9])|^[a-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*\.[A-Z][A-Z0-9_]+$|\{[A-Za-z_][\w.]*\}|\$\{|\$\([^)]*\)|\\\([^)]*\)|\{\{|\{%.*?%\}|<[^<>]{1,60}>|%[A-Za-z_][A-Za-z0-9_]*%|^\$[A-Za-z_][A-Za-z0-9_]*$|^\$\w+:|\benv\s*\(|process\.env|import\.meta\.env|secretKeyRef|^vault:|^arn:aws:|^projects\/[^/]+\/secrets\/|^@Microsoft\.KeyVault|^!(?:Ref|Sub|GetAtt)\b|^op:\/\/|^sm:\/\//i;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Password hashes and content digests: what is stored instead of a secret. */
const HASH_SHAPE =
  /^(?:\$2[abxy]?\$\d\d\$|\$argon2|\$scrypt\$|\$pbkdf2|\$6\$|\$5\$|sha(?:1|256|384|512)-[A-Za-z0-9+/=]+$|[0-9a-f]{40}$)/;
/**
 * Identifiers providers publish on purpose: publishable keys (`pk_…`: Stripe, Clerk, Medusa), PostHog
 * project keys (`phc_…`: write-only event ingestion, made to ship in every page), decentralized
 * identifiers (`did:key:z6Mk…`, `did:plc:…`: a DID names its holder; `did:key` is the public key), Mapbox public
 * tokens (`pk.eyJ…`), Stripe object ids, Google client ids …
 */
const PUBLIC_IDENTIFIER =
  /^(?:did:[a-z0-9]+:|pk_|phc_[A-Za-z0-9]+$|pk\.eyJ|(?:cus|acct|pi|pm|price|prod|sub|in|ch|re|evt|txn|seti|src|card|ba|po|tr|plan|cs_test|req)_[A-Za-z0-9]+$|[0-9]+-[a-z0-9]+\.apps\.googleusercontent\.com$)/;
/**
 * Values that are code or paths, not data: `./x`, `a://`, `fn(`, `a.b.c`, CSS custom properties (`--background`), message ids such as
 * `login.forgotPassword` (words only, each starting lower-case), `/a/b`.
 */
const CODE_OR_PATH =
  /^(?:[./~]|--[a-z][\w-]*$|[a-z]+:\/\/|[A-Za-z_$][\w$]*\(|[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*){2,}$|[a-z][a-zA-Z]*(?:\.[a-z][a-zA-Z]*)+$|[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+$)|\/\w+\/\w+|\s/;
/** Syntax only a regular expression's source has: `(?:`, `(?=`, `(?!`, `(?<=`, `(?<!`, `\d+`, `\s*`, `\w{2}`. */
const REGEX_SOURCE = /\(\?(?:[:=!]|<[=!])|\\[dswDSW](?:[*+?]|\{\d)/;
/**
 * An Ethereum (EVM) address: `0x` and 40 hex digits, the 20 bytes that name an account or a contract (an ERC-20 token's
 * address under `defaultToken`). Addresses are public by construction — every transaction shows them; a private key
 * is 32 bytes (64 hex digits), so this shape is never one.
 */
const EVM_ADDRESS = /^0x[0-9a-fA-F]{40}$/;
/**
 * A CSS id or class selector of hyphenated lower-case words (`'#s3-secret-key'`: the form field a settings page reads
 * the key from): it names an element, not a value typed into it.
 */
const CSS_SELECTOR = /^[#.][a-z][a-z0-9]*(?:-[a-z0-9]+)+$/;
/**
 * A list of validation rules joined by `|` (Laravel's and validatorjs's `'required|same:new_password'`,
 * `'required|string|min:8|confirmed'`): what a field named `confirm_password` must satisfy, not its value. Each part is a
 * rule's name (lower-case words) with optional `:arguments`, and one of them is a rule every such library has.
 */
const VALIDATION_RULES = /^\s*[a-z_]+(?::[^|\s]*)?\s*(?:\|\s*[a-z_]+(?::[^|\s]*)?\s*)+$/;
const VALIDATION_RULE_NAME =
  /(?:^|\|)\s*(?:required|nullable|sometimes|confirmed|same|different|string|min|max|between|size|email|regex|alpha_num|alpha_dash|numeric|integer|in|not_in|unique|exists)(?::|\s*(?:\||$))/;
/** package.json references to other packages: `workspace:^`, `npm:x@1`, `catalog:`, `file:../x`, `link:`. */
const PACKAGE_REFERENCE = /^(?:workspace|npm|catalog|file|link|portal|patch|jsr):/;

/**
 * An instruction written where the value goes, telling the installer what to put there: `SomeRandomStringOf32Chars`,
 * `aLongAndSecretStringUsedToSignTheJWT`, `createAGithubApp`, `generate-a-strong-key`. Its first word is an article
 * or determiner (`a`, `an`, `some`, `any`) or an imperative verb (`create`, `generate`, `enter`, `put`, …) and at least
 * two more words follow, each spelled in whole words (digits only as a number of their own: `Of32Chars`). A value
 * someone chose to use (`ThisIsMySecretKey`, `peppermint4life`, leet `S3cr3tK3y`) does not begin by describing
 * itself, and a generated one is not spelled in words.
 */
const INSTRUCTION_VERB = /^(?:create|generate|enter|put|paste|insert|set|use|add|fill|choose|pick|type|make|provide)$/i;
const ARTICLE = /^(?:a|an|the|your)$/i;
const INSTRUCTION_FIRST_WORD = /^(?:a|an|some|any|random)$/i;
/** The words an instruction describes a value with: its kind, its length, its use, whose it is. */
const INSTRUCTION_WORDS =
  /^(?:random|randomly|string|strings|secret|secure|strong|long|unique|key|keys|password|passphrase|token|value|chars?|characters?|letters|digits|hex|bytes|bits|length|least|exactly|your|own|here|new|app|application|generated|used|sign|signing|encrypt|encryption|session|cookie|cookies|and|for|the|with|from|that)$/i;
/** Words: `a`, `Long`, `JSON`, `Web`; a number standing alone (`32`). Separators `-`, `_`, `.`, space. */
const PHRASE_PART = /[A-Z]{2,}(?=[A-Z][a-z]|[-_. ]|\d|$)|[A-Z]?[a-z]+|[A-Z]|\d+/g;

export function isInstruction(value: string): boolean {
  if (!/^[A-Za-z][A-Za-z\d]*(?:[-_. ][A-Za-z\d]+)*$/.test(value)) return false;
  const parts = value.match(PHRASE_PART) ?? [];
  // Spelled wholly in those parts, a digit run never touching a lower-case letter on both sides (`k3y` is leet).
  if (parts.join('') !== value.replace(/[-_. ]/g, '') || /[a-z]\d+[a-z]/.test(value)) return false;
  const words = parts.filter((part) => /[A-Za-z]/.test(part));
  if (words.length < 3 || !(INSTRUCTION_FIRST_WORD.test(words[0]!) || INSTRUCTION_VERB.test(words[0]!))) return false;
  // Words a person reads: three letters on average, and vowels in the long ones (a random `aXbYcZ…` splits into pairs).
  const rest = words.slice(1);
  const letters = rest.reduce((sum, word) => sum + word.length, 0);
  if (letters < 3 * rest.length || !rest.every((word) => word.length < 4 || /[aeiouy]/i.test(word))) return false;
  // And it speaks of what to put: at least two words of the kind (`Random`, `String`, `Chars`), which a draw does not
  // spell; after an imperative verb one of them and an article will do (`createAGithubApp`). A lone capital `A` inside a
  // draw reads as an article, so an article never counts alone.
  const kind = rest.filter((word) => INSTRUCTION_WORDS.test(word)).length;
  const articles = rest.filter((word) => ARTICLE.test(word)).length;
  return kind >= 2 || (INSTRUCTION_VERB.test(words[0]!) && kind >= 1 && articles >= 1);
}

/** Why a value is not a secret, or undefined when nothing rules it out. */
export function notSecretReason(value: string): string | undefined {
  if (DOCUMENTED_EXAMPLES.has(value)) return 'documented example key';
  if (isPublicDemoToken(value)) return 'demo token';
  if (isDevChainKey(value)) return 'published key of a local chain account';
  if (REFERENCE.test(value)) return 'reference to configuration';
  if (PACKAGE_REFERENCE.test(value)) return 'package reference';
  // `[password]`, `[db_password]`: a bracketed name in documentation; `(configured)`: a status shown instead of a value.
  if (/^\[[\w .-]{1,40}\]$|^\([\w .-]{1,40}\)$/.test(value)) return 'placeholder';
  if (TRANSLATION_KEY.test(value)) return 'translation key';
  if (AT_REFERENCE.test(value) || MAKE_SHELL_VARIABLE.test(value)) return 'reference to configuration';
  if (KEY_CHORD.test(value)) return 'keyboard shortcut';
  if (HEADER_NAME.test(value)) return 'header name';
  // A reader's placeholder (`your_api_key`) is said as such before the variable-name test, which it also passes.
  if (
    PLACEHOLDER_VALUE.test(value) ||
    OWNED_NAME_WORDS.test(value) ||
    ACCOUNT_PASSWORD_WORDS.test(value) ||
    PLACEHOLDER_WORDS.test(value) ||
    (value.length <= 100 ? SHORT_WORDS : SHORT_WORDS_APART).test(value) ||
    xRun(value) ||
    /^[xX*#-]+$/.test(value)
  )
    return 'placeholder';
  if (CREDENTIAL_VARIABLE_NAME.test(value)) return 'variable name';
  if (WELL_KNOWN_DEFAULTS.test(value)) return 'documented local default';
  if (value.length <= 24 && /[^A-Za-z]/.test(value)) {
    const word = unLeet(value);
    if (word.length >= 4 && (PLACEHOLDER_VALUE.test(word) || WELL_KNOWN_DEFAULTS.test(word))) return 'placeholder';
  }
  // Typed filler: `AAAAAAAA`, `1234567890`. (Not in long values: DER-encoded keys have zero runs.)
  if (value.length <= 100 && (/(.)\1{5,}/.test(value) || /123456|abcdef|abc123|1a2b3c4d/i.test(value)))
    return 'placeholder';
  // A block typed over and over (`wrongwrongwrong…`, `fedcba9876543210` four times): filler, not a draw.
  if (value.length <= 100 && /(.{3,16})\1\1/.test(value)) return 'placeholder';
  // The source of a regular expression (`CSS_LENGTH_TOKEN = '(?:auto|0|…)'`, where a token is a lexer's): a group or
  // lookaround, or a class escape with a quantifier. A generated key holds neither.
  if (REGEX_SOURCE.test(value)) return 'regular expression';
  if (UUID.test(value)) return 'UUID';
  if (HASH_SHAPE.test(value)) return 'hash';
  if (PUBLIC_IDENTIFIER.test(value)) return 'public identifier';
  if (EVM_ADDRESS.test(value)) return 'public address';
  if (CSS_SELECTOR.test(value)) return 'selector';
  if (VALIDATION_RULES.test(value) && VALIDATION_RULE_NAME.test(value)) return 'validation rules';
  return undefined;
}

/**
 * Words of a language, letters only, each lower-case or capitalised or a short acronym, joined by
 * hyphens, apostrophes or slashes: `Passwort`, `Palavra-passe`, `OIDC-Privatschlüssel`, `Email/Password`. Generated keys mix
 * cases and digits inside a word.
 */
const WORDS = /^(?:\p{Lu}{2,6}|\p{Lu}?\p{Ll}+)(?:[-'’/](?:\p{Lu}{2,6}|\p{Lu}?\p{Ll}+))*$/u;
/** A letter outside ASCII (`ö`, `ñ`, kana, Hangul, Cyrillic): written by a person, not by a key generator. */
const NON_ASCII_LETTER = /[^\x00-\x7F](?<=\p{L})/u;

/** Words a person types for a made-up password: `s3cret-Pa55`, `SuperSecretPassword1`, `admin-pass`. */
const TYPED_PASSWORD_WORDS =
  /^(?:super|my|your|the|very|secret|secure|pass(?:word|wd|phrase)?|pwd|admin|root|user|test|dev|db|key|token|api|app|hunter|foo|bar|baz|qwerty|letmein|change|me|welcome|hello|demo|local|top|strong|dummy|fake|sample)+$/;

/**
 * A value spelled only from the words of a typed password, letters disguised as digits read back
 * (`s3cret-Pa55` → `secretpass`). In a test it is an input the test made up, not a credential.
 */
export function isTypedPassword(value: string): boolean {
  const word = unLeet(value).toLowerCase();
  return word.length >= 4 && TYPED_PASSWORD_WORDS.test(word);
}

/** Human text: several words separated by spaces, a sentence, or letters of a non-ASCII script. */
export function isHumanText(value: string): boolean {
  return /\s/.test(value.trim()) || /^[A-Z][a-z]+(?: [a-z]+)+[.!?]?$/.test(value) || NON_ASCII_LETTER.test(value);
}

/** Shannon entropy in bits per character. */
export function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** Lower case, upper case, digits, other: how many of the four the value uses. */
export function characterClasses(value: string): number {
  return (
    Number(/[a-z]/.test(value)) +
    Number(/[A-Z]/.test(value)) +
    Number(/[0-9]/.test(value)) +
    Number(/[^A-Za-z0-9]/.test(value))
  );
}

/**
 * `externalId`, `OrderService`, `orders-service-token`, `snake_case_name`, `inbox__popoverTrigger`,
 * `notification:body`, `p95Latency`, `_app_session_xsrf`, `__acme__$__api_token`: names written by people (words
 * joined by case, `_`, `__`, `$`, `-`, `.`, `:`, a number after a word, a leading `_` of a private or cookie name —
 * the key a value is stored under in `window` or `localStorage`, not the value).
 */
// A word may hold a numeronym's digits (`i18n`, `l10n`, `oauth2`): `sink_i18n_redirected` is a cookie's name.
const CAMEL_WORDS = '[a-z]+(?:\\d+[a-z]+)?(?:[A-Z][a-z]+)*\\d*';
// Digits only after the first word or at the end (`p95Latency`, `retryCount2`): `x4Qw8Er4Ty6` is generated.
const IDENTIFIER_LIKE = new RegExp(
  `^_*(?:[a-z]+\\d*(?:[A-Z][a-z]+)+\\d*|(?:[A-Z][a-z]+){2,}|${CAMEL_WORDS}(?:(?:[_$]{1,5}|-|\\.|:)${CAMEL_WORDS})+|[A-Z]+(?:_[A-Z]+)+)_*$` +
    // A word ending in an acronym (`invoicePDF`, `avatarURL`), and sentinels wrapped in underscores or hyphens
    // (`__unmatched__`, `__BEDROCK_DEFAULT_CREDENTIALS__`, a cache key's fragment `-withGuests-`): names chosen by people.
    `|^[a-z]+(?:[A-Z][a-z]+)*[A-Z]{2,5}$|^[-_]+[A-Za-z]+(?:[-_][A-Za-z]+)*[-_]+$` +
    // An acronym between words (`adaptiveAPIAccessToken`, `userIDToken`): a field name, each word of three letters or more.
    `|^[a-z]{3,}(?:[A-Z][a-z]{2,})*[A-Z]{2,5}(?:[A-Z][a-z]{2,})+$` +
    // Capitalised words around an acronym (`ComposioOAuthStatus`, `UserAPIKeyModal`): a type or query-key name.
    `|^(?:[A-Z][a-z]{2,})+[A-Z]{1,5}(?:[A-Z][a-z]{2,})+$`,
);

/**
 * Code written as a string: a type in another language (`map[string]interface{}`, `serde_json::Value`,
 * `Vec<String>`), read by a code generator. Brackets in pairs and paths with `::` are syntax, not a draw.
 */
const TYPE_EXPRESSION = /^[\w:.*&]*(?:::|\[\w*\]|\{\}|<\w+(?:,\s*\w+)*>)[\w:.*&<>{}[\], ]*$/;

/** A name and a version (`cache-burst:v0.0.1`, `app-state@2.1`): a cache buster or a schema tag. */
const VERSIONED_NAME = /^[a-z]+(?:[-_][a-z]+)*[:@/_-]v?\d+(?:\.\d+){1,2}$/i;

/**
 * Lower-case words joined by `/ _ - . :`, each all letters or all digits: an error code
 * (`auth/invalid_access_token`), a label (`kubernetes.io/hostname`), an offer id (`renewal-early-bird-2024`),
 * a cache or lock key under an upper-case prefix (`LOCK:model-match-clear`), a route template with its
 * parameters (`auth/reset_password/:token`), a translation key naming a file type (`files-type.7z`, `formats.3gp2`:
 * a last segment of four letters or digits at most is an extension, a version or an abbreviation, not a draw).
 */
const WORD_PATH = /^(?:[a-z]+|[A-Z]+)(?:[/_.:-]+(?:[a-z]+|\d+))*[/_.:-]+(?:[a-z]+|\d+|[a-z0-9]{1,4})$/;

/** Counting runs like `abcdef`, `123456`, `qwerty`: typed, not generated. */
function isSequential(value: string): boolean {
  if (value.length < 6) return false;
  let steps = 0;
  for (let i = 1; i < value.length; i++) if (Math.abs(value.charCodeAt(i) - value.charCodeAt(i - 1)) === 1) steps++;
  return steps >= value.length - 2;
}

/**
 * Does this literal look like a secret, given how sure the context already is? Reference,
 * placeholder, human-text, hash, UUID and public-identifier values never do.
 */
export function looksLikeSecret(value: string, strictness: Strictness): boolean {
  const { minLength, minEntropy, minClasses } = THRESHOLDS[strictness];
  if (value.length < minLength || value.length > 4096) return false;
  if (isHumanText(value) || notSecretReason(value) !== undefined) return false;
  // Base64 of text (a Kubernetes Secret's `data:`, a Basic credential) is that text written another
  // way: it is a secret when the text is one (`bmFuZ28xMjM=` is a short dev password, not a key).
  const text = base64Text(value);
  if (text !== undefined) return looksLikeSecret(text, strictness);
  // A word is a weak key, but a key when passed to a signing call; under a name it is a label (`Passwort`).
  if (
    strictness !== 'sink' &&
    (CODE_OR_PATH.test(value) || IDENTIFIER_LIKE.test(value) || WORDS.test(value) || WORD_PATH.test(value))
  )
    return false;
  if (strictness !== 'sink' && (TYPE_EXPRESSION.test(value) || VERSIONED_NAME.test(value))) return false;
  // An instruction in a setting is for the installer to follow; passed to a signing call, it is the key the code uses.
  if (strictness !== 'sink' && isInstruction(value)) return false;
  if (isSequential(value)) return false;
  // Hex strings only use 16 symbols, so their entropy tops out at 4 bits: judge them by length.
  if (/^[0-9a-f]+$/i.test(value)) return value.length >= (strictness === 'anonymous' ? 32 : 16) && entropy(value) >= 3;
  return (
    characterClasses(value) >= minClasses && entropy(value) >= Math.min(minEntropy, Math.log2(value.length) * 0.85)
  );
}

/** Standard base64, padded to a whole number of 4-character groups. */
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** Printable ASCII and line breaks: what a person or a config writer encodes. */
const PRINTABLE = /^[\x20-\x7e\r\n\t]+$/;
/** Shorter base64 decodes to printable bytes by chance too often to be read as text. */
const MIN_BASE64_LENGTH = 12;

/**
 * The text a base64 value encodes, when it encodes text: every decoded byte printable. Random key
 * bytes almost never are (a 16-byte key has odds below one in 10^7), so base64 of a generated key
 * stays a key, while base64 of a placeholder or a word reads as what it is.
 */
export function base64Text(value: string): string | undefined {
  if (value.length < MIN_BASE64_LENGTH || value.length % 4 !== 0 || !BASE64.test(value)) return undefined;
  const text = Buffer.from(value, 'base64').toString('latin1');
  return PRINTABLE.test(text) ? text : undefined;
}

/**
 * What a report may show of a secret: at most its first 4 characters (fewer for short values:
 * never more than a quarter of it) and its length.
 */
export function preview(value: string): { preview: string; length: number } {
  const shown = Math.min(4, Math.floor(value.length / 4));
  return { preview: `${value.slice(0, shown)}…`, length: value.length };
}

/** Identifies a secret in fingerprints without the value itself. */
export function valueHash(value: string): string {
  return `sha256:${createHash('sha256').update(value).digest('hex')}`;
}

/** Words a person adds to a name to make a password of it (`langfuse123`, `EvalPass123!#`, `acme-admin`). */
const PASSWORD_SUFFIX_WORDS = /^(?:pass(?:word|wd)?|pwd|secret|admin|root|user|key|dev|local)?$/;

/**
 * A value typed from the name of the project or folder it is written in, with a counter or a symbol
 * after it (`langfuse123` in `deploy/docker/langfuse/docker-compose.yml`, `EvalPass123!#` in
 * `packages/hdx-eval/…`): a default a person chose for a local stack, not a generated key.
 */
export function isNamedAfterPath(path: string, value: string): boolean {
  const match = /^([A-Za-z]{4,}?)([A-Za-z]*)[\d\W_]*$/.exec(value);
  if (!match) return false;
  const words = new Set(
    path
      .toLowerCase()
      .split(/[/._-]+/)
      .filter((word) => word.length >= 4),
  );
  const letters = (match[1]! + match[2]!).toLowerCase();
  for (const word of words) {
    if (letters.startsWith(word) && PASSWORD_SUFFIX_WORDS.test(letters.slice(word.length))) return true;
  }
  return false;
}
