/**
 * What a condition says about the environment the code runs in: true only in development or tests
 * (`process.env.NODE_ENV === 'development'`, `!== 'production'`, `isDev`, `process.env.E2E_TESTING`), or true in
 * production, so that its negation (`!`, an `else`) holds only in development or tests
 * (`NODE_ENV === 'production'`, `isProduction`). Anything else is not known, and code under it is taken to run
 * everywhere: archlint exempts nothing it cannot read.
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../code/ts-morph.js';

/** The TypeScript namespace at run time (types come from the `import type` above). */
const typescript = loadTypeScript();

/** 'dev': true only in development or tests; 'prod': false only in development or tests. */
export type EnvironmentMeaning = 'dev' | 'prod';

/** Follows a name to the expression it is bound to (a `const` initializer), when there is one. */
export type BoundValue = (name: ts.Identifier) => ts.Expression | undefined;

/** Names of the environment's name: `process.env.NODE_ENV`, `config.nodeEnv`, `env.APP_ENV`. */
const ENVIRONMENT_NAME = /^(NODE_ENV|nodeEnv|APP_ENV|appEnv|API_ENV|apiEnv|ENVIRONMENT|environment|RUNTIME_ENV|env)$/;
/** Values of the environment's name that only a developer's machine or a test run has. */
const DEV_ENVIRONMENTS = new Set(['development', 'dev', 'test', 'testing', 'local', 'e2e']);
const PROD_ENVIRONMENTS = new Set(['production', 'prod']);
/**
 * Words of an environment flag's name (`E2E_TESTING`, `ENABLE_TEST_EMAIL_ENDPOINT`) that say it is set only there. Not
 * `DEBUG`: operators switch debugging on in production to chase a fault, so a route behind it may well be served.
 */
const DEV_FLAG_WORDS = new Set(['TEST', 'TESTS', 'TESTING', 'E2E', 'MOCK', 'MOCKS', 'DEV', 'DEVELOPMENT']);
/** Words that turn a flag's meaning around or tie it to production (`DISABLE_DEV_TOOLS`, `SKIP_TEST`): not read. */
const NEGATING_WORDS = new Set(['DISABLE', 'DISABLED', 'NO', 'NOT', 'SKIP', 'WITHOUT', 'PROD', 'PRODUCTION']);
/** A boolean named for the environment (`isDev`, `IS_TEST`, `isDevelopment()`), when its value cannot be followed. */
const DEV_BOOLEAN = /^(is_?)(dev|development|dev_?mode|dev_?env|test|testing|test_?mode|test_?env|e2e|mock_?mode)$/i;
const PROD_BOOLEAN = /^(is_?)(prod|production|prod_?mode|prod_?env)$/i;
const TRUE_TEXT = new Set(['true', '1', 'yes', 'on']);

/**
 * What an expression's truth says about the environment (see EnvironmentMeaning); undefined: not known.
 * `productionDeclared`: the repository's deployment sets NODE_ENV to production (a Dockerfile's `ENV NODE_ENV
 * production`, a compose file, a start script). Without that, "not production" (`NODE_ENV !== 'production'`,
 * `!isProduction`) also holds where the shipped server runs with NODE_ENV unset (`npx some-gateway`): only a
 * positive word for development or tests is read then.
 */
export function environmentMeaning(
  expression: ts.Expression,
  boundValue: BoundValue,
  productionDeclared = true,
  depth = 0,
): EnvironmentMeaning | undefined {
  if (depth > 6) return undefined;
  const node = skipParentheses(expression);
  const again = (e: ts.Expression) => environmentMeaning(e, boundValue, productionDeclared, depth + 1);
  if (typescript.isPrefixUnaryExpression(node) && node.operator === typescript.SyntaxKind.ExclamationToken)
    return flip(again(node.operand));
  if (typescript.isBinaryExpression(node)) {
    const operator = node.operatorToken.kind;
    const [left, right] = [again(node.left), again(node.right)];
    // `a && b` holds only in development when either does; it is false outside production only when both are.
    if (operator === typescript.SyntaxKind.AmpersandAmpersandToken)
      return left === 'dev' || right === 'dev' ? 'dev' : left === 'prod' && right === 'prod' ? 'prod' : undefined;
    if (operator === typescript.SyntaxKind.BarBarToken)
      return left === 'dev' && right === 'dev' ? 'dev' : left === 'prod' || right === 'prod' ? 'prod' : undefined;
    return comparison(node, boundValue, productionDeclared, depth);
  }
  const flag = flagMeaning(node);
  if (flag) return flag;
  const name = nameOf(node);
  if (name === undefined) return undefined;
  // A const is read through to its value (`const isDev = process.env.NODE_ENV === 'development'`); a name
  // whose value is out of sight (a getter, a config object) is read by what it says.
  const bound = typescript.isIdentifier(node) ? boundValue(node) : undefined;
  const followed = bound && bound !== node ? again(bound) : undefined;
  if (followed) return followed;
  if (DEV_BOOLEAN.test(name)) return 'dev';
  if (PROD_BOOLEAN.test(name) && productionDeclared) return 'prod';
  return undefined;
}

/** `X === 'development'`, `X !== 'production'`, `FLAG === 'true'`, either way round, `==` too. */
function comparison(
  node: ts.BinaryExpression,
  boundValue: BoundValue,
  productionDeclared: boolean,
  depth: number,
): EnvironmentMeaning | undefined {
  const kind = node.operatorToken.kind;
  const equal =
    kind === typescript.SyntaxKind.EqualsEqualsEqualsToken || kind === typescript.SyntaxKind.EqualsEqualsToken;
  const unequal =
    kind === typescript.SyntaxKind.ExclamationEqualsEqualsToken ||
    kind === typescript.SyntaxKind.ExclamationEqualsToken;
  if (!equal && !unequal) return undefined;
  const [left, right] = [skipParentheses(node.left), skipParentheses(node.right)];
  const literal = literalText(right) !== undefined ? right : literalText(left) !== undefined ? left : undefined;
  if (!literal) return undefined;
  const other = literal === right ? left : right;
  const text = literalText(literal)!;
  let meaning: EnvironmentMeaning | undefined;
  if (isEnvironmentName(other, boundValue, depth)) {
    const lower = text.toLowerCase();
    meaning = DEV_ENVIRONMENTS.has(lower)
      ? 'dev'
      : PROD_ENVIRONMENTS.has(lower) && productionDeclared
        ? 'prod'
        : undefined;
  } else if (TRUE_TEXT.has(text.toLowerCase())) {
    meaning = flagMeaning(other) ?? (DEV_BOOLEAN.test(nameOf(other) ?? '') ? 'dev' : undefined);
  }
  return equal ? meaning : flip(meaning);
}

/** A read of the environment's name, directly or through a const (`const env = process.env.NODE_ENV`). */
function isEnvironmentName(node: ts.Expression, boundValue: BoundValue, depth: number): boolean {
  const name = envVariableName(node) ?? nameOf(node);
  if (name !== undefined && ENVIRONMENT_NAME.test(name)) return true;
  if (!typescript.isIdentifier(node) || depth > 6) return false;
  const bound = boundValue(node);
  return bound !== undefined && bound !== node && isEnvironmentName(skipParentheses(bound), boundValue, depth + 1);
}

/**
 * An environment variable named for development or tests, read as a flag: `process.env.E2E_TESTING`,
 * `import.meta.env.DEV`, `env.MOCK_PAYMENTS`, `env.get('E2E_TESTING')`.
 */
function flagMeaning(node: ts.Expression): EnvironmentMeaning | undefined {
  const name = envVariableName(node);
  if (name === undefined || !/^[A-Z][A-Z0-9_]*$/.test(name)) return undefined;
  const words = name.split('_');
  if (words.some((word) => NEGATING_WORDS.has(word))) return undefined;
  return words.some((word) => DEV_FLAG_WORDS.has(word)) ? 'dev' : undefined;
}

/** The name of an environment variable an expression reads: `process.env.X`, `env.X`, `env.get('X')`, `getEnv('X')`. */
function envVariableName(node: ts.Expression): string | undefined {
  const inner = skipParentheses(node);
  if (typescript.isPropertyAccessExpression(inner)) {
    const holder = inner.expression.getText();
    if (/(^|\.)(env|ENV|Env|config|CONFIG)$/.test(holder)) return inner.name.text;
    return undefined;
  }
  if (typescript.isElementAccessExpression(inner) && /(^|\.)env$/.test(inner.expression.getText()))
    return literalText(skipParentheses(inner.argumentExpression));
  if (typescript.isCallExpression(inner) && inner.arguments.length > 0) {
    const callee = inner.expression.getText();
    if (!/(^|\.)(env|ENV|get|getEnv|getenv|parse|readEnv)$/.test(callee) || !/env/i.test(callee + inner.getText()))
      return undefined;
    return literalText(skipParentheses(inner.arguments[0]!));
  }
  return undefined;
}

/** The name an identifier, a property read or a call of one without arguments ends in (`env.isDevelopment()`). */
function nameOf(node: ts.Expression): string | undefined {
  const inner = skipParentheses(node);
  if (typescript.isIdentifier(inner)) return inner.text;
  if (typescript.isPropertyAccessExpression(inner)) return inner.name.text;
  if (typescript.isCallExpression(inner) && inner.arguments.length === 0) return nameOf(inner.expression);
  return undefined;
}

function literalText(node: ts.Expression): string | undefined {
  if (typescript.isStringLiteral(node) || typescript.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (node.kind === typescript.SyntaxKind.TrueKeyword) return 'true';
  return undefined;
}

function skipParentheses(node: ts.Expression): ts.Expression {
  let current = node;
  while (
    typescript.isParenthesizedExpression(current) ||
    typescript.isAsExpression(current) ||
    typescript.isNonNullExpression(current)
  )
    current = current.expression;
  return current;
}

function flip(meaning: EnvironmentMeaning | undefined): EnvironmentMeaning | undefined {
  return meaning === 'dev' ? 'prod' : meaning === 'prod' ? 'dev' : undefined;
}
