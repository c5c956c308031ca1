/** How a condition is read as development/test-only (src/inputs/routes/dev-conditions.ts), and what is left unknown. */
import { ts } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { environmentMeaning } from '../src/inputs/routes/dev-conditions.js';

/** The meaning of the last statement's expression; earlier `const x = …` statements are what names are bound to. */
function meaning(code: string, productionDeclared = true) {
  const source = ts.createSourceFile('x.ts', code, ts.ScriptTarget.Latest, true);
  const consts = new Map<string, ts.Expression>();
  for (const statement of source.statements)
    if (ts.isVariableStatement(statement))
      for (const declaration of statement.declarationList.declarations)
        if (ts.isIdentifier(declaration.name) && declaration.initializer)
          consts.set(declaration.name.text, declaration.initializer);
  const last = source.statements.at(-1) as ts.ExpressionStatement;
  return environmentMeaning(last.expression, (id) => consts.get(id.text), productionDeclared);
}

describe('environmentMeaning', () => {
  it.each([
    ["process.env.NODE_ENV === 'development'", 'dev'],
    ["process.env.NODE_ENV == 'test'", 'dev'],
    ["'dev' === process.env.NODE_ENV", 'dev'],
    ["process.env.NODE_ENV !== 'production'", 'dev'],
    ["process.env.NODE_ENV === 'production'", 'prod'],
    ["process.env.NODE_ENV !== 'development'", 'prod'],
    ["!(process.env.NODE_ENV === 'production')", 'dev'],
    ["env.ENVIRONMENT === 'test'", 'dev'],
    ["config.nodeEnv === 'local'", 'dev'],
    ['process.env.E2E_TESTING', 'dev'],
    ["process.env.ENABLE_TEST_EMAIL_ENDPOINT == 'true'", 'dev'],
    ["env.get('E2E_TESTING', true) === 'true'", 'dev'],
    ['import.meta.env.DEV', 'dev'],
    ['env.isDevelopment', 'dev'],
    ['isProduction', 'prod'],
    ['!IS_PRODUCTION', 'dev'],
    ["process.env.NODE_ENV === 'development' && process.env.SEED", 'dev'],
    ["process.env.NODE_ENV === 'production' || process.env.STAGING", 'prod'],
  ])('%s is %s', (code, expected) => {
    expect(meaning(code)).toBe(expected);
  });

  it('follows a const to the comparison it holds, before reading its name', () => {
    expect(meaning("const isDev = process.env.NODE_ENV === 'development';\nisDev")).toBe('dev');
    expect(meaning("const isDev = process.env.NODE_ENV === 'production';\nisDev")).toBe('prod');
    expect(meaning("const mode = process.env.NODE_ENV;\nmode === 'test'")).toBe('dev');
  });

  it.each([
    // Not about the environment, or not knowable: judged as running everywhere.
    ['process.env.ENABLE_BULK_IMPORT', undefined],
    ['process.env.DISABLE_DEV_TOOLS', undefined],
    // Debugging is switched on in production too, to chase a fault.
    ['process.env.DEBUG', undefined],
    ['env.SEND_RUN_DEBUG_LOGS', undefined],
    ['process.env.NODE_ENV', undefined],
    ["process.env.NODE_ENV === 'staging'", undefined],
    ['featureFlags.beta', undefined],
    ['isLocalhost', undefined],
    ["process.env.NODE_ENV === 'development' || process.env.FORCE", undefined],
    ["process.env.NODE_ENV === 'production' && process.env.STAGING", undefined],
  ])('%s is not known', (code, expected) => {
    expect(meaning(code)).toBe(expected);
  });

  it('reads "not production" only when the deployment sets NODE_ENV=production; a word for development always', () => {
    expect(meaning("process.env.NODE_ENV !== 'production'", false)).toBeUndefined();
    expect(meaning("process.env.NODE_ENV === 'production'", false)).toBeUndefined();
    expect(meaning('!isProduction', false)).toBeUndefined();
    expect(meaning("process.env.NODE_ENV === 'development'", false)).toBe('dev');
    expect(meaning("process.env.NODE_ENV !== 'development'", false)).toBe('prod');
    expect(meaning('process.env.E2E_TESTING', false)).toBe('dev');
  });
});
