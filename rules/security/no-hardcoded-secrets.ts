import { defineRule, isTestSuiteText, type Severity, type TextFile, type TextFileFacts } from '../../src/rule-api.js';
import { findAssignedSecrets } from './_lib/assignments.js';
import {
  exampleRanges,
  findCodeSecrets,
  hasCandidate,
  placeholderRanges,
  SWAGGER_AUTOGEN,
  testSettingsRanges,
} from './_lib/code.js';
import { isPasswordOfBundledService } from './_lib/bundled-services.js';
import { isAccountNameAsPassword } from './_lib/user-named-passwords.js';
import { isDeclaredNotSecret, isDeclaredRevoked } from './_lib/declarations.js';
import { isLocalhostDevKey } from './_lib/dev-certificates.js';
import { isInstalledAppClientSecret } from './_lib/installed-apps.js';
import {
  isInTestEnvironment,
  isInThrowawayClusterJob,
  isServiceCredential,
  serviceCredentials,
} from './_lib/environments.js';
import {
  isCommentLine,
  isDocumentation,
  isPlaceholderAttribute,
  isSampleFile,
  isTranslation,
  isUnderExampleKey,
} from './_lib/examples.js';
import { failsChecksum } from './_lib/checksums.js';
import { mergeHits, type SecretHit } from './_lib/hits.js';
import { findProviderSecrets, TEST_MODE_DOUBT } from './_lib/providers.js';
import { pointsAtLocalMachine } from './_lib/local-settings.js';
import { isPublicByDesign } from './_lib/public-config.js';
import {
  isComposeFile,
  isDependencyPatch,
  isDevStackFile,
  isLocalDevFile,
  isRequestCollection,
  isSeedFile,
  isTestFile,
  skipReason,
} from './_lib/skip.js';
import { findUrlPasswords } from './_lib/urls.js';
import { isNamedAfterPath, isTypedPassword, looksLikeSecret, preview, valueHash } from './_lib/values.js';

type MessageId = 'provider' | 'providerGuess' | 'urlPassword' | 'sink' | 'fallback' | 'assignment';

function messageOf(hit: SecretHit): MessageId {
  switch (hit.kind) {
    case 'provider':
      return hit.sure ? 'provider' : 'providerGuess';
    case 'url-password':
      return 'urlPassword';
    default:
      return hit.kind;
  }
}

/** Sure credentials fail the build; guesses ask for a look. (A severity the user sets for the rule wins over both.) */
const severityOf = (hit: SecretHit): Severity => (hit.sure ? 'error' : 'warning');

/**
 * Code that may define schemas with sample values (`example:`, `.example(…)`), data named for samples
 * (`examplePrivateKey`, `MOCK_USERS`) or a demo's login: worth a syntax tree when it holds a guess. Case-sensitive
 * after the first letter, so that a camelCase name (`examplePrivateKey`) counts and `examples` inside a word does not.
 */
const EXAMPLE_WORD =
  /\b(?:[Ee]xamples?|[Ss]amples?|[Mm]ocks?|[Mm]ocked|[Ff]ixtures?|[Ff]akes?|[Dd]ummy|EXAMPLES?|SAMPLES?|MOCKS?|MOCKED|FIXTURES?|FAKES?|DUMMY)(?![a-z])|[Dd]emo|DEMO/;
/** Code that may hold samples: words for them, or swagger-autogen's schemas written as sample objects. */
const hasSampleWords = (content: string): boolean => EXAMPLE_WORD.test(content) || SWAGGER_AUTOGEN.test(content);
/** Code that may show sample values as a form field's placeholder text. */
const PLACEHOLDER_WORD = /placeholder/i;
/** Code that may hold a test run's settings (`test: { env: … }`). */
const TEST_KEY = /\btest(?:ing)?\s*:/;

export default defineRule<MessageId>({
  meta: {
    id: 'security/no-hardcoded-secrets',
    title: 'No secret is committed to the repository',
    severity: 'error',
    // `code` parses lazily: only the few files whose text holds a candidate literal are parsed.
    requires: ['text', 'code'],
    scope: 'file',
    tags: ['security', 'secrets'],
    why:
      'A key in the repository is a key for everyone who can read it: every clone, fork, CI log and backup, for ever — ' +
      'deleting it later does not remove it from git history. Leaked keys are found by scanners within minutes of a push. ' +
      'A literal fallback (`process.env.JWT_SECRET ?? "…"`) is worse than none: production silently runs on the committed key ' +
      "when the variable is missing. Findings are graded: what is sure to be a credential — a provider's key format " +
      '(AWS, GitHub, Stripe live, Slack, …), a private key, a literal passed as a signing key (`jwt.sign`, ' +
      '`JwtModule.register({ secret })`), a password in a URL to another machine — is an error; a guess — a secret-like ' +
      'name given a random-looking value, a fallback, a JWT (its issuer and expiry are not in the repository), a Stripe ' +
      'test-mode key given as a fallback — is a warning. A test-mode key anywhere else (development settings, a script or ' +
      "migration that fills a development database) is not reported: it opens the account's sandbox only, and only a " +
      'fallback shows production running on it. A provider key in documentation (Markdown, MDX) or a translation ' +
      'file is a warning, not an error: docs show the format to their readers, and none found on the labelled ' +
      'repositories was live. Samples are not reported unless sure: ' +
      'documentation (Markdown, MDX), folders named for examples (`examples/`, `docker-examples/`), translation files, ' +
      'GraphQL documents, comment lines, `example`/`examples` values of ' +
      'API descriptions and schemas (also zod-openapi `.openapi({ example })` and NestJS `@ApiProperty({ example })`; a ' +
      'provider key there is only a warning), the login a program uses in demo mode (`DEMO ? "…" : ""`, ' +
      "`DEMO_DATASOURCE_PARAMS`), GitHub and npm tokens that fail their format's checksum in samples and tests (never " +
      'issued), and the published ' +
      'demo keys of local stacks (Supabase `supabase-demo` JWTs, `minioadmin`, `p0stgr3s`-style defaults). Nor are ' +
      "credentials that open nothing beyond a developer's or a CI job's machine: a password in a URL to localhost, " +
      "the credentials of a workflow's `services:` containers and the secrets a CI job writes into the cluster it starts " +
      'for itself (`kind create cluster`, `k3d`, `minikube`), settings of a block that sets `NODE_ENV: test` or of a `test` ' +
      "section in code (Vitest's `test: { env }` in a Vite config), values in " +
      "a developer's local environment (`dev/`, `dev-env/` and `dev-server/` folders, `.env.development`, " +
      "`docker-compose.dev.yml`, `.vscode/`, settings files whose endpoints are the developer's own machine (a " +
      'committed `.env` of `http://localhost:…` services), node-config defaults (`config/default.json`) of a setting that ' +
      '`custom-environment-variables.json` beside them maps to an environment variable (deployments read it from there), ' +
      'and settings files named for tests: as in ' +
      'tests — also `fixtures/`, `cypress/`, `playwright/`, benchmarks, CI workflows named for tests, test-runner setup ' +
      "files and Storybook stories — only provider keys and passwords to other machines count; a test's typed URL " +
      "password such as `hunter2` is an input, only a generated-looking one counts), a form field's placeholder text " +
      '(`placeholder="-----BEGIN PRIVATE KEY-----…"`), patches to dependencies (`patches/<pkg>+<version>.patch`: ' +
      "third-party code, judged for provider keys only), a provider's prefix inside a longer run of base64 (an inline " +
      'image), the source of a regular expression (`(?:auto|\\d+px)`), tokens that decode to a ' +
      'demo account or are signed with a placeholder key, the key of a localhost development certificate (named for ' +
      'localhost, or whose certificate — in the same file or in a certificate file beside it, as `openssl req -x509 ' +
      '-keyout key.pem -out cert.pem` writes it — names loopback hosts only: it cannot pass for any other host); keys public by ' +
      "design (PostHog `phc_` and `POSTHOG_KEY`, a key whose name says publishable, an analytics write key or anonymous-telemetry key, a Firebase web config's apiKey, nx.json's read-only Nx Cloud token, a " +
      'Supabase anon key, a search-only key of Algolia or Typesense, the public half of a key pair — `publicDidKey`, a ' +
      '`did:key:` identifier); a route template (`auth/reset_password/:token`); a translation key ' +
      "(NodeBB's `'[[user:info.banned-expiry]]'`: the client swaps it for a text); a value spelled only from the names " +
      'of what it stands for and owned by the reader (`mysecretpassword`, `your_db_password`: written to be replaced); ' +
      "the env file of a CI run's throwaway stack (`.github/ci.env`, `.env.ci`: judged like test settings), and settings " +
      "that declare the development environment (`NODE_ENV=development`: a developer's machine, judged likewise); a " +
      'guess from a secret-like name in code that runs in the browser or in a web page (an HTML file, or a page stored ' +
      'as data with its `<script>`): every visitor downloads it, so it is a site id or a public SDK key (provider ' +
      'formats and signing calls there are still reported); a module that is a test suite by what it says (suite ' +
      "calls and an assertion library), whatever its file's name, is judged as a test; a keyboard shortcut " +
      "(`winKey: 'ctrl+shift+z'`), a header's name (`loopKey = 'X-Mail-Seen'`), a reference to a stored secret " +
      "(`now.json`'s `\"@redis-password\"`, Make's `$$GITHUB_TOKEN`); a variable's " +
      'name written where a value would be (`Authorization=voyage_api_key`); ' +
      "a constant whose value spells its own name (an action type `'@cart/SET_TOKEN'`); the id a " +
      'command-line flag gives a secret (`docker build --secret id=NPM_TOKEN`); base64 that decodes to a placeholder or a ' +
      "short word (a Kubernetes Secret's `data:` is judged by what it encodes); " +
      'and a value whose comment says it is no secret (`// dummy`, `# local-dev`, "not a secret") — a guess anywhere, a ' +
      'provider key only in tests and samples; a key whose comment says it was revoked (`// revoked`, "has been ' +
      'rotated", "no longer valid") anywhere, provider keys included: the remedy is done, nothing is left to act on ' +
      '("rotated monthly", "not yet revoked", "revoke it if it leaks" say nothing of the kind). Nor are the private keys ' +
      "of a local chain's default accounts (Hardhat's and Anvil's `test test … junk` mnemonic, Ganache's deterministic " +
      'one: derived from the published mnemonics, printed by the tools at every start, owned by everybody), and an ' +
      'instruction written where the value goes (`SomeRandomStringOf32Chars`, `createAGithubApp`, ' +
      '`generate-a-long-random-key`: an article or an imperative verb and whole words telling the installer what to ' +
      'put there; a chosen phrase (`ThisIsMySecret`) or one in leet (`S3cr3tK3y`) is judged as usual, and passed to a ' +
      'signing call the phrase is the key the code signs with). Files named for ' +
      'test doubles (`fake_provider.go`, `stub-signer.ts`, `dummy-keys.json`) are samples, like folders so named. The client secret of an OAuth client that the file shows to be an ' +
      "installed app's " +
      '(an out-of-band redirect `urn:ietf:wg:oauth:2.0:oob`, a redirect to a private-use scheme `com.example.app:/…`, ' +
      'Google\'s `"installed"` client file) is not reported as a guess: every copy of a CLI, desktop or mobile app carries ' +
      'it, so RFC 8252 makes such clients public and the secret identifies the app (a loopback redirect alone is no sign: ' +
      'web servers use `http://localhost:3000/callback` while developing). Judged like tests, since nothing deployed runs with them: seed scripts ' +
      'a person runs and no server imports (`scripts/seed.ts` behind `db:seed`), and requests sent by hand from an API ' +
      'client (Bruno `.bru`, `.http` files, Postman collections). Judged like samples: folders named for made-up content ' +
      "(`fake-certs/`), and a web page saved among a test's files, whose Google browser key is the site's. A string " +
      'that is itself settings text (`"dns_username=…\\ndns_password=…"`) is judged pair by pair; a YAML file with ' +
      'top-level `services:` of containers is a compose file whatever its name. A deployment file that creates a ' +
      "service and connects to it (a one-click app template's PostgreSQL add-on, a Kubernetes manifest, a compose " +
      "stack's `.env`) writes the password it gives that service into the app's URL to it by the service's name (a host " +
      "with no dot, resolved on the deployment's own network): that URL is the other end of a credential the file " +
      'creates, not a password to another machine, so it is not reported; the password is judged where the file gives ' +
      'it to the service, as a guess (a warning when it looks generated), since each install creates that service ' +
      'afresh and an installer edits the default. Not reported either: the access key id of a pre-signed URL ' +
      '(`X-Amz-Credential=AKIA…`, `AWSAccessKeyId=`: shown by design in every link it signs, without its secret half), ' +
      "a JWT whose own claims give it an hour of life at most (a GitHub image link's `?jwt=`: expired before the " +
      'commit could be read), an EVM address (`0x` and 40 hex digits: public on its chain), a list of validation rules ' +
      "(`'required|same:new_password'`), a CSS selector (`'#s3-secret-key'`), swagger-autogen's `definitions` (schemas " +
      'written as sample objects), a key its comment calls safe, public, client-side or a browser key, and in an env ' +
      "file the password the repository's CI gives its throwaway service containers (the project's published test " +
      'password).',
    fix:
      'Revoke and rotate the key first (it is in the history), then read it at run time from the environment or a secret ' +
      'manager, failing at start-up when it is missing. Keep placeholders in `.env.example`. For a test-only value, ' +
      'suppress the line with `archlint-disable-next-line security/no-hardcoded-secrets -- <why>`. A warning is a guess: ' +
      "check whether the value opens anything outside a developer's machine. Setting the rule's severity in the config " +
      '(`rules`, `overrides`) or with `--rule` gives every finding of the rule that severity.',
    examples: {
      bad: [
        {
          description: 'A signing key passed to jwt.sign, and a Stripe key as an environment fallback',
          files: {
            'src/auth.ts':
              "import jwt from 'jsonwebtoken';\n" +
              "export const issue = (sub: string) => jwt.sign({ sub }, '576ig38uFL6pmtN75xjgMnJMIbAYMpLE', { expiresIn: '5m' });\n",
            // archlint-disable-next-line security/no-hardcoded-secrets -- a random value made for this example, not a key
            'src/stripe.ts':
              "export const stripeKey = process.env.STRIPE_KEY ?? 'sk_test_MZFF5d5nDXZh15xVotwpjIxBv20X';\n",
          },
        },
        {
          description: 'A database password in a compose file',
          files: {
            'docker-compose.yml': 'services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: 64u1KDrxeSyDFHjUB0ej\n',
          },
        },
      ],
      good: [
        {
          description: 'Keys read from the environment; placeholders only in .env.example',
          files: {
            'src/auth.ts':
              "import jwt from 'jsonwebtoken';\n" +
              'const secret = process.env.JWT_SECRET;\n' +
              "if (!secret) throw new Error('JWT_SECRET is not set');\n" +
              "export const issue = (sub: string) => jwt.sign({ sub }, secret, { expiresIn: '5m' });\n",
            '.env.example': 'JWT_SECRET=<your-jwt-secret>\nSTRIPE_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx\n',
            'docker-compose.yml': 'services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}\n',
          },
        },
      ],
    },
    messages: {
      provider: '{{label}} {{preview}} ({{length}} characters) is committed{{context}}',
      providerGuess: '{{label}} {{preview}} ({{length}} characters) is committed{{context}}: {{doubt}}',
      urlPassword: 'Password {{preview}} ({{length}} characters) is written in a {{label}}:// URL to another machine',
      sink: 'Hard-coded key {{preview}} ({{length}} characters) passed to {{label}}',
      fallback:
        'Literal fallback {{preview}} ({{length}} characters) for {{label}}: used whenever the variable is unset (a guess from the name and how random the value is)',
      assignment: '{{label}} is assigned a literal secret {{preview}} ({{length}} characters)',
    },
  },

  codeTrees: (file) => parsedAsCode(file.text) && hasCandidate(file.text.content),

  async check(ctx) {
    /**
     * A seed script that a person runs (a package script, a CLI loading it by name) and no server imports: code a
     * server reaches runs in production, a seed at start-up included. A SQL seed, which nothing imports, may set up a
     * deployment's roles: judged as config.
     */
    const isDevSeed = (file: TextFile): boolean => {
      if (file.kind !== 'code' || !isSeedFile(file.rootPath ?? file.path)) return false;
      const reach = ctx.code.get(file.path)?.reach;
      return reach === 'cli' || reach === 'unreached';
    };
    // Code files whose text has a literal worth a syntax tree; every other file is done from its text.
    const toParse: Array<{ file: TextFile; hits: SecretHit[]; names: boolean }> = [];
    for (const file of ctx.text.all()) {
      if (skipReason(file) !== undefined) continue;
      const hits = [...findProviderSecrets(file.path, file.content), ...findUrlPasswords(file.content)];
      // Documentation and translations hold text and samples: provider tokens only. Tests and a developer's
      // local environment make up their passwords and keys (a test private key signs test data): provider
      // tokens, and passwords in URLs to another machine. A dev stack's URL to its own container is the developer's.
      if (isSampleFile(file.path)) report(file, hits, 'sample');
      // A patch to a dependency is the dependency's code: only what authenticates anywhere.
      else if (isDependencyPatch(file.path)) report(file, hits, 'third-party');
      // A test writes URLs with made-up passwords (`https://user:hunter2@host`, the input a redaction
      // test strips): there a URL's password counts only when it looks generated, not typed.
      else if (isTestCode(file))
        report(
          file,
          hits.filter(
            (hit) =>
              hit.kind !== 'url-password' || (looksLikeSecret(hit.value, 'named') && !isTypedPassword(hit.value)),
          ),
          'test',
        );
      else if (isLocalDevFile(file.rootPath ?? file.path) || isRequestCollection(file.path) || isDevSeed(file))
        report(file, hits, 'test');
      // Settings whose endpoints are the developer's own machine (a committed local `.env`): as a dev folder's.
      else if (file.kind !== 'code' && !isComposeFile(file) && pointsAtLocalMachine(file)) report(file, hits, 'test');
      else if (isComposeFile(file))
        report(
          file,
          [...hits, ...findAssignedSecrets(file.path, file.content)].filter(
            (hit) => !(hit.kind === 'url-password' && hit.localHost),
          ),
          'config',
        );
      else if (file.kind !== 'code') {
        // node-config's defaults: a setting the deployment takes from the environment is the developer's value.
        const fromEnvironment = ctx.text.facts().get(file.path)?.settingsFromEnvironment;
        const assigned = findAssignedSecrets(file.path, file.content);
        const local = fromEnvironment ? assigned.filter((hit) => fromEnvironment.includes(hit.label)) : [];
        report(file, [...hits, ...assigned.filter((hit) => !local.includes(hit))], 'config');
        report(file, local, 'test');
      } else {
        // parsedAsCode(file) holds here.
        // A test-mode key is judged by where it goes (a fallback is reported): the syntax tree says.
        const names = hasCandidate(file.content) || hits.some((hit) => hit.doubt === TEST_MODE_DOUBT);
        const samples =
          (hasSampleWords(file.content) || PLACEHOLDER_WORD.test(file.content)) &&
          (names || hits.some((hit) => !authenticatesAnywhere(hit)));
        if (names || samples) toParse.push({ file, hits, names });
        else report(file, hits, 'code');
      }
    }
    if (toParse.length === 0) return;
    const ts = ctx.code.ts;
    for (const { file, hits, names } of toParse) {
      const parsed = ctx.code.get(file.path);
      if (!parsed) {
        report(file, hits, 'code');
        continue;
      }
      const sourceFile = parsed.tree;
      const found = names ? [...hits, ...findCodeSecrets(ts, sourceFile)] : hits;
      const testSettings = TEST_KEY.test(file.content) ? testSettingsRanges(ts, sourceFile) : [];
      // A test run's settings in code are judged as a test's: only what opens another machine counts.
      // Code that runs on the user's device is sent to every visitor: a value its owner put there under a secret-like
      // name is a client's identifier (a site id, a public SDK key), not a key kept from them. Only a guess is left
      // out: a provider's key format or a signing call still says the value is a secret that leaked to the browser.
      const onDevice = runsOnUsersDevice(parsed);
      const kept = found.filter(
        (hit) => (reachesAnotherMachine(hit) || !within(testSettings, hit)) && !(onDevice && isNameGuess(hit)),
      );
      const sampleRanges = [
        ...(hasSampleWords(file.content) ? exampleRanges(ts, sourceFile) : []),
        ...(PLACEHOLDER_WORD.test(file.content) ? placeholderRanges(ts, sourceFile) : []),
      ];
      report(file, kept, 'code', sampleRanges);
    }

    function report(
      file: TextFile,
      hits: SecretHit[],
      place: Place,
      codeExamples: Array<{ start: number; end: number }> = [],
    ): void {
      const kept =
        place === 'sample' || place === 'third-party'
          ? hits.filter(authenticatesAnywhere)
          : place === 'test'
            ? hits.filter(reachesAnotherMachine)
            : hits;
      const services = place === 'config' ? serviceCredentials(file) : undefined;
      for (const merged of mergeHits(kept)) {
        const sample = isSample(file, merged, codeExamples);
        if (!authenticatesAnywhere(merged) && sample) continue;
        // A token whose format carries a checksum and fails it was never issued: a vendor's made-up sample.
        if ((sample || place === 'test') && failsChecksum(merged.label, merged.value)) continue;
        const hit = sample ? asSampleValue(file, merged) : merged;
        if (isNoSecretHere(file, hit, place, services, ctx.text.facts().get(file.path))) continue;
        // A test-mode key opens the account's test data only: what matters is production running on it,
        // which only a fallback or a signing call shows; as a literal in dev settings, a script or a
        // migration that fills a dev database it is the shared sandbox contributors are meant to use.
        if (hit.doubt === TEST_MODE_DOUBT && hit.context === undefined) continue;
        // A guess that is the folder's or project's name with a counter (`langfuse123`): a typed local default.
        if (!hit.sure && isNamedAfterPath(file.path, hit.value)) continue;
        // A password typed to equal its account's name beside it (`…_USER="s3mockroot"`): a default, not a draw.
        if (isNameGuess(hit) && isAccountNameAsPassword(file, hit)) continue;
        // A web page goes to every browser that opens it, like browser code: a name guess in it is the page's client
        // setting (a site key, a public token), also a page stored as data (a migration inserting a saved article).
        if (isNameGuess(hit) && isInWebPage(file, hit.start)) continue;
        // An installed app's OAuth client (out-of-band or private-scheme redirect) ships its secret in every copy: a
        // public client by RFC 8252, whose secret identifies the app. Only a guess: a provider's key format still counts.
        if (isNameGuess(hit) && isInstalledAppClientSecret(file, hit)) continue;
        ctx.report({
          at: { file: file.path, range: { start: hit.start, end: hit.end } },
          messageId: messageOf(hit),
          data: {
            ...preview(hit.value),
            label: hit.label,
            context: hit.context ? ` ${hit.context}` : '',
            doubt: hit.doubt ?? '',
          },
          fingerprintText: valueHash(hit.value),
          severity: severityOf(hit),
        });
      }
    }
  },
});

/**
 * What a file is, for the secrets in it: samples for readers (documentation, translations, example
 * folders), a dependency's code patched in place, tests and local dev environments, config a program
 * runs with, or TS/JS code.
 */
type Place = 'sample' | 'third-party' | 'test' | 'config' | 'code';

/**
 * A provider token (AWS, GitHub, Stripe live, Slack…) opens the provider's door wherever it is pasted,
 * a sample included. A private key or a URL's password in a sample is an illustration: vendors' API
 * descriptions and docs are full of generated ones (a connection string to `db.example-host`, a
 * certificate request's key), and nothing runs with them.
 */
function authenticatesAnywhere(hit: SecretHit): boolean {
  return hit.sure && hit.kind === 'provider' && hit.label !== 'private key';
}

/** Code shipped to the user's browser or device (code model: where it runs, or only pages import it). */
function runsOnUsersDevice(file: { runtime: string; reach: string }): boolean {
  return file.runtime === 'browser' || file.reach === 'browser';
}

/** A guess from a secret-like name and how random its value looks (an assignment or an environment fallback). */
function isNameGuess(hit: SecretHit): boolean {
  return !hit.sure && (hit.kind === 'assignment' || hit.kind === 'fallback');
}

/** What a test's or a local environment's made-up value cannot be: a provider token, or a password to another machine. */
function reachesAnotherMachine(hit: SecretHit): boolean {
  return authenticatesAnywhere(hit) || (hit.kind === 'url-password' && !hit.localHost);
}

/**
 * Is the hit a sample for a reader — in documentation or a translation file, on a comment line,
 * under an `example`/`examples` key (YAML/JSON by indentation, code by its syntax tree), or shown as
 * a form field's placeholder text (a `placeholder` attribute or property, a constant named for one
 * or passed to one)?
 */
function isSample(
  file: TextFile,
  hit: SecretHit,
  codeExamples: ReadonlyArray<{ start: number; end: number }>,
): boolean {
  if (isSampleFile(file.path) || isCommentLine(file, hit.start)) return true;
  if (file.kind === 'code') return within(codeExamples, hit);
  return isUnderExampleKey(file, hit.start) || isPlaceholderAttribute(file, hit.start);
}

/**
 * A provider token given as the `example` of a schema field (an API description, a provider catalogue's
 * credential form, a code schema) shows readers the key's shape: vendors write made-up ones that look
 * real. It may still be a live key pasted in, so it stays reported, as a guess, unless its checksum
 * proves it issued. Documentation and translations are written for readers too: a key in a docs page's code
 * block beside `your-webhook-url` placeholders is most often the format shown, so it is a guess there as well
 * (on the labelled repositories no key in documentation was live; a pasted one is still reported). A comment
 * line is judged as before: a key commented out of code was code's.
 */
function asSampleValue(file: TextFile, hit: SecretHit): SecretHit {
  if (!hit.sure || isCommentLine(file, hit.start)) return hit;
  if (failsChecksum(hit.label, hit.value) === false) return hit;
  // Other sample files (example folders, GraphQL documents, sample data) are judged as before: sure stays sure.
  if (isDocumentation(file.path) || isTranslation(file.path))
    return { ...hit, sure: false, doubt: 'written in documentation, most likely a sample of the format' };
  if (isSampleFile(file.path)) return hit;
  return { ...hit, sure: false, doubt: 'an example value of a schema, most likely a sample of the format' };
}

function within(ranges: ReadonlyArray<{ start: number; end: number }>, hit: SecretHit): boolean {
  return ranges.some((range) => hit.start >= range.start && hit.end <= range.end);
}

const SAVED_PAGE = /\.x?html?$/i;

/** Is the offset in a web page: an HTML file, or a `<script>` block of HTML kept in another file (SQL, JSON)? */
function isInWebPage(file: TextFile, offset: number): boolean {
  if (SAVED_PAGE.test(file.path)) return true;
  if (file.kind === 'code') return false;
  const opened = file.content.lastIndexOf('<script', offset);
  return opened !== -1 && opened > file.content.lastIndexOf('</script', offset);
}

/**
 * Does what is written around the hit say it opens nothing? A key public by design (nx.json's
 * read-only token, a Firebase web config's apiKey); a localhost development certificate's key; a
 * value its comment declares not secret (a guess anywhere, anything in tests and samples); in config,
 * the credential of a CI job's throwaway service container, and settings of a block that declares
 * a test environment (`NODE_ENV: test`) or of a CI job that starts its own throwaway cluster,
 * judged as a test's.
 */
function isNoSecretHere(
  file: TextFile,
  hit: SecretHit,
  place: Place,
  services: ReturnType<typeof serviceCredentials>,
  facts: TextFileFacts | undefined,
): boolean {
  if (isPublicByDesign(file, hit)) return true;
  // An env file reusing the password the repository's CI gives its throwaway test containers: the project's published
  // test password, pointing a developer's run at its test databases (TextFileFacts: the workflows beside it say so).
  if (!authenticatesAnywhere(hit) && facts?.ciTestPasswordHashes?.includes(valueHash(hit.value))) return true;
  // A web page among a test's files is a saved copy of someone's page (a parser's fixture): a Google key in it is
  // that site's browser key, which Google has every page carry and restricts by referrer.
  if (place === 'test' && hit.label === 'Google API key' && SAVED_PAGE.test(file.path)) return true;
  if (
    hit.kind === 'provider' &&
    hit.label === 'private key' &&
    isLocalhostDevKey(file.path, file.content, file.content.slice(hit.start, hit.end), facts?.loopbackCertificates)
  )
    return true;
  if (
    (!hit.sure || place === 'test' || place === 'sample' || place === 'third-party') &&
    isDeclaredNotSecret(file, hit.start, hit.end)
  )
    return true;
  // A key its comment says was revoked (rotated, expired) opens nothing any more: the remedy is done.
  if (isDeclaredRevoked(file, hit.start, hit.end)) return true;
  if (place !== 'config' || authenticatesAnywhere(hit)) return false;
  if (isServiceCredential(services, hit.start, hit.value)) return true;
  // A deployment file's URL to a service it creates, with the password it gives that service: judged where it gives it.
  if (isPasswordOfBundledService(file.content, hit)) return true;
  return (
    !reachesAnotherMachine(hit) && (isInTestEnvironment(file, hit.start) || isInThrowawayClusterJob(file, hit.start))
  );
}

/**
 * A code file judged as the project's own code (none of the cases check() reports from the text alone
 * before it: skipped, a sample, a dependency's patch, a test, a developer's local files or dev stack).
 * With a candidate name in its text, check() reads its syntax tree (Rule.codeTrees).
 */
/** Test code by its path, or a module that is a test suite by what it says (code-model fact: test-paths.ts). */
function isTestCode(file: TextFile): boolean {
  return isTestFile(file.rootPath ?? file.path) || (file.kind === 'code' && isTestSuiteText(file.content));
}

function parsedAsCode(file: TextFile): boolean {
  const path = file.rootPath ?? file.path;
  return (
    skipReason(file) === undefined &&
    !isSampleFile(file.path) &&
    !isDependencyPatch(file.path) &&
    !isTestCode(file) &&
    !isLocalDevFile(path) &&
    !isDevStackFile(file.path)
  );
}
