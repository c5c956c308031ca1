/**
 * Secrets in TS/JS found through the syntax tree: what a regex over the text cannot tell apart.
 *
 *   sinks      `jwt.sign(payload, '…')`, `jwt.verify(t, '…')`, `createHmac('sha256', '…')`,
 *              `createCipheriv(alg, '…', iv)`, `cookieParser('…')`, and config objects handed to a
 *              call: `JwtModule.register({ secret: '…' })`, `session({ secret: '…' })`,
 *              `new JwtStrategy({ secretOrKey: '…' })`, … — also through a same-file `const`.
 *   fallbacks  `process.env.X ?? '…'`, `process.env.X || '…'`, `import.meta.env.X`, `Deno.env.get('X')`.
 *   names      `const API_KEY = '…'`, `{ clientSecret: '…' }`, `this.password = '…'`, class fields,
 *              default parameters, JSX attributes.
 *
 * Parsing costs far more than reading, so a file is parsed only when its text has a literal that
 * could be reported (`hasCandidate`): on a typical tree that is a few files in a thousand.
 */
import type { ts as TypeScript } from 'ts-morph';
import {
  importBindings,
  isValueWrapper,
  qualifiedName,
  unwrapExpression,
  type ImportBinding,
} from '../../../src/rule-api.js';
import type { SecretHit } from './hits.js';
import { isSecretName, valueSpellsName } from './names.js';
import { findProviderSecrets } from './providers.js';
import { looksLikeSecret } from './values.js';

/** Calls whose argument at this index is a key: callee name → index. */
const KEY_ARGUMENTS: ReadonlyMap<string, number> = new Map([
  ['sign', 1],
  ['verify', 1],
  ['createHmac', 1],
  ['createCipheriv', 1],
  ['createDecipheriv', 1],
  ['createSecretKey', 0],
  ['cookieParser', 0],
]);
/** `sign`/`verify` are keys only on a JWT library (`jwt.sign`, `jsonwebtoken.verify`, `JWT.sign`). */
const JWT_ONLY = new Set(['sign', 'verify']);
const JWT_RECEIVER = /jwt|jws|jsonwebtoken/i;
/** JWT libraries' key-taking exports by qualified name, however imported (`import { sign } from 'jsonwebtoken'`). */
const JWT_EXPORT = /^(?:jsonwebtoken|jws)\.(sign|verify)$/;
/** Each file's import bindings, read when a bare `sign`/`verify` needs them. */
const bindingsByFile = new WeakMap<TypeScript.SourceFile, ReadonlyMap<string, ImportBinding>>();

/** Properties of a config object handed to a call that hold the signing/session key. */
const KEY_PROPERTIES = new Set([
  'secret',
  'secretOrKey',
  'secretOrPrivateKey',
  'privateKey',
  'signingKey',
  'jwtSecret',
  'keys',
  'cookieSecret',
  'sessionSecret',
  'password',
]);
/**
 * Calls whose config object holds a key (Nest JwtModule, express-session, cookie-session,
 * express-jwt, passport-jwt strategies, NextAuth, iron-session, fastify plugins, JwtService).
 * Other calls get the name rules instead (`{ password: '…' }` must still look random).
 */
const KEY_CONFIG_CALL =
  /^(?:JwtModule\.register(?:Async)?|session|expressSession|cookieSession|expressjwt|expressJwt|jwt|NextAuth|Strategy|JwtStrategy|super|getIronSession|ironSession|sealData|unsealData|\w+\.register|\w+\.(?:sign|verify)(?:Async)?)$/;

/** Words before a literal, on its line, that make it worth parsing the file. */
const CONTEXT_WORDS =
  /pass|pwd|secret|token|key|credential|auth|bearer|sign|verify|hmac|cipher|cookie|session|strategy|process\.env|import\.meta\.env|\.env\b|\?\?|\|\|/i;
/** Of those, the ones that can make it a sink (where the loosest value test applies). */
const SINK_WORDS = /secret|pass|key|sign|verify|hmac|cipher|cookie|session|strategy/i;
const STRING_LITERAL = /(["'`])([^"'`\s\\]{8,4096})\1/g;

/** A key-taking call anywhere: then a `const` far from it may be its key (`jwt.verify(t, SIGNING)`). */
const KEY_CALL =
  /\b(?:jwt|jws|jsonwebtoken)\w*\s*\.\s*(?:sign|verify)\s*\(|\b(?:createHmac|createCipheriv|createDecipheriv|createSecretKey|cookieParser)\s*\(|\b(?:secret|secretOrKey|secretOrPrivateKey|privateKey|signingKey|jwtSecret|cookieSecret|sessionSecret|password|keys)\s*:\s*\[?\s*[A-Za-z_$]/i;

/**
 * Cheap text test: could parsing this file report anything? Every syntax-tree finding is a literal
 * with one of the context words before it on its line (or on the line before, when the literal
 * starts its line: `secret:\n  '…'`) that passes the value test for that context — or, in a file
 * that calls a key-taking function, any literal that could be a key.
 */
export function hasCandidate(content: string): boolean {
  const keyCall = KEY_CALL.test(content);
  STRING_LITERAL.lastIndex = 0;
  for (let match = STRING_LITERAL.exec(content); match; match = STRING_LITERAL.exec(content)) {
    let lineStart = content.lastIndexOf('\n', match.index - 1) + 1;
    if (content.slice(lineStart, match.index).trim() === '') lineStart = content.lastIndexOf('\n', lineStart - 2) + 1;
    const before = content.slice(lineStart, match.index);
    const entry = ENV_ENTRY.exec(match[2]!);
    if (entry && isSecretName(entry[1]!) && looksLikeSecret(entry[2]!, 'named')) return true;
    if (!keyCall && !CONTEXT_WORDS.test(before)) continue;
    if (isModuleSpecifier(before)) continue;
    if (looksLikeSecret(match[2]!, keyCall || SINK_WORDS.test(before) ? 'sink' : 'named')) return true;
  }
  return false;
}

/** `from '…'`, `import('…')`, `require('…')`: module names, never secrets. */
function isModuleSpecifier(before: string): boolean {
  const tail = before.trimEnd();
  return (
    tail.endsWith('from') ||
    tail.endsWith('import') ||
    tail.endsWith('import(') ||
    /\brequire\s*\($/.test(tail.slice(-12))
  );
}

type Ts = typeof TypeScript;
type Node = TypeScript.Node;

export function findCodeSecrets(ts: Ts, sourceFile: TypeScript.SourceFile): SecretHit[] {
  const hits: SecretHit[] = [];
  /** Identifiers passed where a key goes → the call, to resolve `const KEY = '…'; jwt.sign(p, KEY)`. */
  const keyIdentifiers = new Map<string, string>();
  const constLiterals: Array<{ name: string; literal: TypeScript.StringLiteralLike }> = [];

  const visit = (node: Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      const hit = judgeLiteral(ts, node);
      if (hit) hits.push(hit);
    } else if (ts.isIdentifier(node) && node.parent) {
      const sink = sinkOf(ts, node, node.parent);
      if (sink !== undefined) keyIdentifiers.set(node.text, sink);
    } else if (
      ts.isVariableDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      node.initializer &&
      ts.isStringLiteralLike(node.initializer)
    ) {
      constLiterals.push({ name: node.name.text, literal: node.initializer });
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);

  for (const { name, literal } of constLiterals) {
    const call = keyIdentifiers.get(name);
    if (call === undefined || !looksLikeSecret(literal.text, 'sink')) continue;
    hits.push(hitAt(literal, 'sink', call));
  }
  return hits;
}

/** A literal's role, from the expression it is part of. */
function judgeLiteral(ts: Ts, literal: TypeScript.StringLiteralLike): SecretHit | undefined {
  const value = literal.text;
  // A provider's format goes on: whether it is a fallback decides how a test-mode key is judged.
  if (!looksLikeSecret(value, 'sink') && findProviderSecrets('', value).length === 0) return undefined;
  let expression: Node = literal;
  let envName: string | undefined;
  // Climb through what does not change the value's role: parentheses, casts, `a ?? b`, `c ? a : b`, arrays.
  for (let parent = expression.parent; parent; expression = parent, parent = parent.parent) {
    if (isValueWrapper(ts, parent) || ts.isArrayLiteralExpression(parent)) continue;
    if (ts.isConditionalExpression(parent) && parent.condition !== expression) continue;
    if (
      ts.isBinaryExpression(parent) &&
      parent.right === expression &&
      isFallbackOperator(ts, parent.operatorToken.kind)
    ) {
      envName ??= envVariableName(ts, parent.left);
      continue;
    }
    break;
  }
  const parent = expression.parent;
  if (!parent) return undefined;

  const sink = sinkOf(ts, expression, parent);
  if (sink) return hitAt(literal, 'sink', sink);
  const name = declaredName(ts, expression, parent);
  if (envName !== undefined) {
    // A default for a variable that holds no secret (`TEMPLATE_ID ?? 'welcome-x8f2k'`) is configuration, not a key;
    // a provider key there is still found by its format.
    const named = isSecretName(envName) || (name !== undefined && isSecretName(name));
    // A provider's key is a fallback whatever it looks like (`sk_test_…` reads as a placeholder to the guess):
    // the fallback is what says production may run on it.
    const fallback = named && (looksLikeSecret(value, 'named') || findProviderSecrets('', value).length > 0);
    return fallback ? hitAt(literal, 'fallback', `process.env.${envName}`) : undefined;
  }
  if (name !== undefined && isSecretName(name) && !valueSpellsName(name, value) && looksLikeSecret(value, 'named'))
    return hitAt(literal, 'assignment', name);
  return envEntryHit(literal);
}

/**
 * `NAME=value` written as one string: an environment entry handed to a process or container
 * (`Env: ['POSTGRES_PASSWORD=…']` of a Docker service, `env: ['API_KEY=…']`). Its name says what
 * the value is, as in a `.env` file.
 */
const ENV_ENTRY = /^([A-Za-z_][A-Za-z0-9_]{0,80})=([^\s]+)$/;

function envEntryHit(literal: TypeScript.StringLiteralLike): SecretHit | undefined {
  const match = ENV_ENTRY.exec(literal.text);
  if (!match || literal.text !== literal.getText().slice(1, -1)) return undefined;
  const [, name = '', value = ''] = match;
  if (!isSecretName(name) || valueSpellsName(name, value) || !looksLikeSecret(value, 'named')) return undefined;
  const start = literal.getStart() + 1 + name.length + 1;
  return { start, end: start + value.length, value, kind: 'assignment', label: name, sure: false };
}

/** `jwt.sign(p, <here>)`, or `{ secret: <here> }` in an object passed to a call: the call's name. */
function sinkOf(ts: Ts, expression: Node, parent: Node): string | undefined {
  if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments) {
    const index = keyArgumentIndex(ts, parent);
    return index !== undefined && parent.arguments[index] === expression
      ? calleeName(ts, parent.expression)
      : undefined;
  }
  if (
    ts.isPropertyAssignment(parent) &&
    parent.initializer === expression &&
    KEY_PROPERTIES.has(propertyName(ts, parent.name) ?? '')
  ) {
    // The object may sit inside another (`registerAsync({ useFactory: () => ({ secret }) })`): find the call.
    for (let node: Node | undefined = parent.parent; node; node = node.parent) {
      if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
        const callee = calleeName(ts, node.expression);
        return KEY_CONFIG_CALL.test(callee) ? `${callee}({ ${propertyName(ts, parent.name)} })` : undefined;
      }
      if (ts.isFunctionLike(node) && !ts.isArrowFunction(node)) break;
      if (ts.isVariableDeclaration(node) || ts.isSourceFile(node)) break;
    }
  }
  return undefined;
}

/** Which argument of this call is a key, if it is a known key-taking call. */
function keyArgumentIndex(ts: Ts, call: TypeScript.CallExpression | TypeScript.NewExpression): number | undefined {
  const callee = call.expression;
  const exported = jwtExport(ts, callee);
  if (exported) return KEY_ARGUMENTS.get(exported);
  const name = ts.isPropertyAccessExpression(callee)
    ? callee.name.text
    : ts.isIdentifier(callee)
      ? callee.text
      : undefined;
  if (name === undefined) return undefined;
  const index = KEY_ARGUMENTS.get(name);
  if (index === undefined) return undefined;
  if (JWT_ONLY.has(name) && !(ts.isPropertyAccessExpression(callee) && JWT_RECEIVER.test(callee.expression.getText())))
    return undefined;
  return index;
}

/** A JWT library's `sign`/`verify` by its qualified name (`jsonwebtoken.sign`), under whatever local name. */
function jwtExport(ts: Ts, callee: TypeScript.Expression): string | undefined {
  if (!ts.isIdentifier(callee) && !ts.isPropertyAccessExpression(callee)) return undefined;
  const source = callee.getSourceFile();
  let bindings = bindingsByFile.get(source);
  if (!bindings) bindingsByFile.set(source, (bindings = importBindings(ts, source)));
  const match = JWT_EXPORT.exec(qualifiedName(ts, callee, bindings) ?? '');
  return match?.[1];
}

/** The name a value is given: variable, property, class field, parameter, assignment target, JSX attribute. */
function declaredName(ts: Ts, expression: Node, parent: Node): string | undefined {
  if (
    (ts.isVariableDeclaration(parent) || ts.isPropertyDeclaration(parent) || ts.isParameter(parent)) &&
    parent.initializer === expression
  ) {
    return ts.isIdentifier(parent.name) || ts.isPrivateIdentifier(parent.name)
      ? parent.name.text.replace(/^#/, '')
      : undefined;
  }
  if (ts.isPropertyAssignment(parent) && parent.initializer === expression) return propertyName(ts, parent.name);
  if (
    ts.isBinaryExpression(parent) &&
    parent.right === expression &&
    parent.operatorToken.kind === ts.SyntaxKind.EqualsToken
  ) {
    const target = parent.left;
    if (ts.isIdentifier(target)) return target.text;
    if (ts.isPropertyAccessExpression(target)) return target.name.text;
    if (ts.isElementAccessExpression(target) && ts.isStringLiteralLike(target.argumentExpression))
      return target.argumentExpression.text;
  }
  if (ts.isJsxAttribute(parent)) return parent.name.getText();
  if (ts.isJsxExpression(parent) && parent.parent && ts.isJsxAttribute(parent.parent))
    return parent.parent.name.getText();
  return undefined;
}

function propertyName(ts: Ts, name: TypeScript.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteralLike(name) || ts.isPrivateIdentifier(name) ? name.text : undefined;
}

function isFallbackOperator(ts: Ts, kind: TypeScript.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.QuestionQuestionToken || kind === ts.SyntaxKind.BarBarToken;
}

/** `process.env.X`, `process.env['X']`, `import.meta.env.X`, `Bun.env.X`, `Deno.env.get('X')` → X. */
function envVariableName(ts: Ts, node: Node): string | undefined {
  node = unwrapExpression(ts, node);
  if (ts.isPropertyAccessExpression(node) && isEnvObject(node.expression)) return node.name.text;
  if (
    ts.isElementAccessExpression(node) &&
    isEnvObject(node.expression) &&
    ts.isStringLiteralLike(node.argumentExpression)
  )
    return node.argumentExpression.text;
  if (
    ts.isCallExpression(node) &&
    /^(?:Deno\.env\.get|env)$/.test(node.expression.getText()) &&
    node.arguments[0] &&
    ts.isStringLiteralLike(node.arguments[0])
  ) {
    return node.arguments[0].text;
  }
  return undefined;
}

function isEnvObject(node: Node): boolean {
  return /^(?:process\.env|import\.meta\.env|Bun\.env)$/.test(node.getText());
}

/** `jwt.sign`, `JwtModule.register`, `session`, `new JwtStrategy` → a short readable name. */
function calleeName(ts: Ts, callee: Node): string {
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) {
    const receiver = ts.isIdentifier(callee.expression)
      ? callee.expression.text
      : ts.isPropertyAccessExpression(callee.expression)
        ? callee.expression.name.text
        : callee.expression.kind === ts.SyntaxKind.ThisKeyword
          ? 'this'
          : '…';
    return `${receiver}.${callee.name.text}`;
  }
  if (callee.kind === ts.SyntaxKind.SuperKeyword) return 'super';
  return 'a call';
}

function hitAt(literal: TypeScript.StringLiteralLike, kind: SecretHit['kind'], label: string): SecretHit {
  // Inside the quotes: the secret's own range. A literal passed as a signing key is one; a name is a guess.
  const start = literal.getStart() + 1;
  return { start, end: literal.getEnd() - 1, value: literal.text, kind, label, sure: kind === 'sink' };
}

/**
 * Variables named for sample data: `samples`, `sampleRecords`, `mockEvents`, `MOCK_USERS`, `fixtures`,
 * `fakeData`, `exampleRequests` — and for a public demo (`DEMO_DATASOURCE_PARAMS`, `demoAccount`): the
 * read-only account of a vendor's sample database or a demo server's login, which the project
 * publishes so that anyone can try it (a provider key there is still found by its format).
 */
const SAMPLE_DATA_NAME =
  /^(?:samples?|examples?|mocks?|mocked|fixtures?|fakes?|dummy|demo|SAMPLES?|EXAMPLES?|MOCKS?|MOCKED|FIXTURES?|FAKES?|DUMMY|DEMO)(?:$|[A-Z_])/;

/** A condition that tests a demo mode: `DEMO !== undefined`, `isDemo`, `env.DEMO_MODE === 'true'`, `user.demo` (not `showDemographics`). */
const DEMO_CONDITION = /(?:(?<![A-Za-z])demo|Demo)(?![a-z])|(?<![A-Z])DEMO(?![A-Z])/;

/** Properties whose value is a sample for readers of an API description, not configuration. */
const EXAMPLE_PROPERTY = /^(?:examples?|x-examples?)$/;

/** A module that imports swagger-autogen, which writes a description's schemas from sample objects. */
export const SWAGGER_AUTOGEN = /["']swagger-autogen["']/;
/**
 * swagger-autogen's `definitions`: schemas written as a sample object (`UserLogin: { email: '…', password: '…' }`),
 * which the tool turns into a schema with those values as its examples — an example by construction.
 */
const SAMPLE_SCHEMAS_PROPERTY = 'definitions';

/**
 * Ranges of sample values in code-defined schemas: `examples: ['…']` in a JSON schema object,
 * `.openapi({ example: '…' })` (zod-openapi), `@ApiProperty({ example: '…' })` (NestJS), and
 * `.example('…')` calls (Joi, zod-to-openapi), and swagger-autogen's `definitions` in a module importing it. Values
 * there are shown to API readers.
 */
export function exampleRanges(ts: Ts, sourceFile: TypeScript.SourceFile): Array<{ start: number; end: number }> {
  const ranges: Array<{ start: number; end: number }> = [];
  const samplesByExample = SWAGGER_AUTOGEN.test(sourceFile.text);
  const visit = (node: Node): void => {
    const name = ts.isPropertyAssignment(node) ? propertyName(ts, node.name) : undefined;
    if (
      ts.isPropertyAssignment(node) &&
      (EXAMPLE_PROPERTY.test(name ?? '') || (samplesByExample && name === SAMPLE_SCHEMAS_PROPERTY))
    ) {
      ranges.push({ start: node.initializer.getStart(), end: node.initializer.getEnd() });
      return;
    }
    // `export const samples: SampleRecord[] = [ … ]`, `const mockEvents = …`: data made up to look real.
    if (
      ts.isVariableDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      SAMPLE_DATA_NAME.test(node.name.text) &&
      node.initializer
    ) {
      ranges.push({ start: node.initializer.getStart(), end: node.initializer.getEnd() });
      return;
    }
    // `DEMO ? 'Demouser1!' : ''`: the value a form or client uses in demo mode, the demo server's published login.
    if (ts.isConditionalExpression(node) && DEMO_CONDITION.test(node.condition.getText())) {
      const negated =
        ts.isPrefixUnaryExpression(node.condition) && node.condition.operator === ts.SyntaxKind.ExclamationToken;
      const demoBranch = negated ? node.whenFalse : node.whenTrue;
      ranges.push({ start: demoBranch.getStart(), end: demoBranch.getEnd() });
    }
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      EXAMPLE_PROPERTY.test(node.expression.name.text)
    ) {
      for (const argument of node.arguments) ranges.push({ start: argument.getStart(), end: argument.getEnd() });
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return ranges;
}

/** Keys whose object configures a test run: Vitest's `test` block of a Vite config, a config's `test` environment. */
const TEST_SETTINGS_PROPERTY = /^(?:test|testing)$/;

/**
 * Ranges of objects that configure tests: `defineConfig({ test: { env: { … } } })` (Vitest's section
 * of a Vite config: the environment its unit tests run with) and the `test` entry of per-environment
 * settings (`{ development: …, test: { jwtSecret: … }, production: … }`). Like `.env.test`, their keys
 * are made up for the test run; what they say about production lives beside them.
 */
export function testSettingsRanges(ts: Ts, sourceFile: TypeScript.SourceFile): Array<{ start: number; end: number }> {
  const ranges: Array<{ start: number; end: number }> = [];
  const visit = (node: Node): void => {
    if (
      ts.isPropertyAssignment(node) &&
      TEST_SETTINGS_PROPERTY.test(propertyName(ts, node.name) ?? '') &&
      ts.isObjectLiteralExpression(node.initializer)
    ) {
      ranges.push({ start: node.initializer.getStart(), end: node.initializer.getEnd() });
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return ranges;
}

/** `placeholder`, `inputPlaceholder`, `KEY_PLACEHOLDER`: a name for text shown in an empty field. */
const PLACEHOLDER_NAME = /placeholder$/i;

/**
 * Ranges of values shown as a form field's placeholder text: a `placeholder` JSX attribute or
 * property (`<Textarea placeholder="-----BEGIN PRIVATE KEY-----…" />`, `{ placeholder: '…' }`), a
 * constant named for one (`apiKeyPlaceholder`), and a same-file constant passed to one
 * (`placeholder={privateKeyHolder}`). A placeholder shows the user the shape of what to paste;
 * it is greyed-out sample text that no program authenticates with.
 */
export function placeholderRanges(ts: Ts, sourceFile: TypeScript.SourceFile): Array<{ start: number; end: number }> {
  const ranges: Array<{ start: number; end: number }> = [];
  const shownAsPlaceholder = new Set<string>();
  const constants: Array<{ name: string; initializer: Node }> = [];
  const add = (node: Node | undefined): void => {
    if (!node) return;
    if (ts.isIdentifier(node)) shownAsPlaceholder.add(node.text);
    else ranges.push({ start: node.getStart(), end: node.getEnd() });
  };
  const visit = (node: Node): void => {
    if (ts.isJsxAttribute(node) && PLACEHOLDER_NAME.test(node.name.getText())) {
      const value = node.initializer;
      add(value && ts.isJsxExpression(value) ? value.expression : value);
    } else if (ts.isPropertyAssignment(node) && PLACEHOLDER_NAME.test(propertyName(ts, node.name) ?? '')) {
      add(node.initializer);
    } else if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      if (PLACEHOLDER_NAME.test(node.name.text)) add(node.initializer);
      else constants.push({ name: node.name.text, initializer: node.initializer });
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  for (const { name, initializer } of constants) if (shownAsPlaceholder.has(name)) add(initializer);
  return ranges;
}
