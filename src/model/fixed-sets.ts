/**
 * A set fixed before the program serves anyone: its elements are written in the code, in a configuration file or
 * in the environment, so how many there are is decided by whoever writes or deploys the code, not by the data.
 * perf/no-n-plus-one asks it of a loop whose set iterated-sets.ts cannot trace to rows, a relation or a request:
 * a boot seed of the bundled buildpacks (`for (const bp of yaml.parse(runpacks))`), a one-time migration of the
 * users an operator listed in `KUBERO_USERS`, one query per table of a list written in the code. Labelled code
 * showed such sets are a handful (hand-written), and a batch there saves nothing anyone would notice.
 *
 *   'code'          an array literal (its spreads fixed too), an object literal's keys or values, an enum's members,
 *                   a module constant holding one, or text of the code parsed (`yaml.parse(bundledText)`);
 *   'configuration' an imported JSON / YAML / TOML file, the `config` package's values, a file read from a path
 *                   written in the code (`readFileSync(join(__dirname, 'seed.yaml'))`) and parsed;
 *   'environment'   `process.env.X` and what is parsed or split from it.
 *
 * Judged within one syntax tree; anything else (a parameter whose callers are elsewhere, `this.x`, a call's
 * result) is not known to be fixed (undefined), and the loop is judged as before.
 */
import type { ts as TypeScript } from 'ts-morph';
import { declarationOf, type CallersOf } from './iterated-sets.js';
import { functionName } from './bulk-operations.js';
import { importBindings, unwrapExpression } from './qualified-names.js';

export type FixedSetKind = 'code' | 'configuration' | 'environment';

/** Array operations whose result holds at most the receiver's elements (or one per element). */
const SAME_OR_FEWER = /^(filter|map|flatMap|slice|sort|toSorted|reverse|toReversed|values|keys|entries|concat)$/;
/** Parsers of configuration text: JSON, YAML (`yaml`, `js-yaml`), TOML. */
const PARSE = /^(JSON\.parse|(yaml|YAML|jsYaml|jsyaml|toml|TOML)\.(parse|load|safeLoad)|parseYaml|parseToml)$/;
/** Modules that hold configuration: data files, and the `config` / `nconf` packages' values. */
const CONFIG_MODULE = /\.(json|ya?ml|toml)$|^(config|nconf)$/;
const READ_FILE = /^(fs\.)?(readFileSync|readFile)$|^(fs\.promises|fsp|fs)\.readFile$/;
const PATH_JOIN = /^(path\.)?(join|resolve)$/;

export function fixedSetOf(
  ts: typeof TypeScript,
  expression: TypeScript.Expression,
  callersOf?: CallersOf,
): FixedSetKind | undefined {
  return fixed(ts, expression, callersOf, new Set(), 0);
}

function fixed(
  ts: typeof TypeScript,
  node: TypeScript.Expression,
  callersOf: CallersOf | undefined,
  seen: Set<TypeScript.Node>,
  depth: number,
): FixedSetKind | undefined {
  if (depth > 8 || seen.has(node)) return undefined;
  seen.add(node);
  const value = unwrapExpression(ts, node, { await: true });
  const again = (next: TypeScript.Expression) => fixed(ts, next, callersOf, seen, depth + 1);
  // `[a, b, c]`: as many elements as are written, whatever they hold; a spread must be fixed too.
  if (ts.isArrayLiteralExpression(value)) {
    let kind: FixedSetKind = 'code';
    for (const element of value.elements) {
      if (!ts.isSpreadElement(element)) continue;
      const inner = again(element.expression);
      if (!inner) return undefined;
      if (inner !== 'code') kind = inner;
    }
    return kind;
  }
  if (ts.isObjectLiteralExpression(value))
    return value.properties.some((p) => ts.isSpreadAssignment(p)) ? undefined : 'code';
  // `config || []`, `list ?? []`: the fixed value or an empty list.
  if (ts.isBinaryExpression(value)) {
    const op = value.operatorToken.kind;
    if (op !== ts.SyntaxKind.BarBarToken && op !== ts.SyntaxKind.QuestionQuestionToken) return undefined;
    const right = unwrapExpression(ts, value.right);
    const emptyRight = ts.isArrayLiteralExpression(right) && right.elements.length === 0;
    const left = again(value.left);
    return left && (emptyRight || again(value.right)) ? left : undefined;
  }
  if (ts.isConditionalExpression(value)) {
    const a = again(value.whenTrue);
    const b = a && again(value.whenFalse);
    return b ? a : undefined;
  }
  if (ts.isStringLiteralLike(value)) return 'code';
  if (ts.isPropertyAccessExpression(value) || ts.isElementAccessExpression(value))
    return propertyFixed(ts, value, callersOf, seen, depth);
  if (ts.isCallExpression(value)) return callFixed(ts, value, again);
  if (ts.isIdentifier(value)) return identifierFixed(ts, value, callersOf, seen, depth);
  return undefined;
}

/**
 * `process.env.USERS`, `config.roles` of a configuration module, `SEED.tables` of a module constant written as an
 * object literal (the property's own value is judged), an enum's member. A property of anything else — a
 * parameter, `this`, a call's result — is not known.
 */
function propertyFixed(
  ts: typeof TypeScript,
  value: TypeScript.PropertyAccessExpression | TypeScript.ElementAccessExpression,
  callersOf: CallersOf | undefined,
  seen: Set<TypeScript.Node>,
  depth: number,
): FixedSetKind | undefined {
  if (/^process\.env\b/.test(value.getText())) return 'environment';
  const path: string[] = [];
  let root: TypeScript.Expression = value;
  while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) {
    if (ts.isPropertyAccessExpression(root)) path.unshift(root.name.text);
    else if (ts.isStringLiteralLike(root.argumentExpression)) path.unshift(root.argumentExpression.text);
    else return undefined;
    root = unwrapExpression(ts, root.expression);
  }
  if (!ts.isIdentifier(root)) return undefined;
  const source = root.getSourceFile();
  const declaration = declarationOf(ts, root);
  if (!declaration) {
    if (source.statements.some((s) => ts.isEnumDeclaration(s) && s.name.text === (root as TypeScript.Identifier).text))
      return 'code';
    const binding = importBindings(ts, source).get(root.text);
    return binding && CONFIG_MODULE.test(binding.module) ? 'configuration' : undefined;
  }
  const fromConfig = requiredConfig(ts, declaration, root.text);
  if (fromConfig) return fromConfig;
  // Down an object literal held by a const: `const SEED = { tables: ['a', 'b'] }; SEED.tables`.
  if (!ts.isVariableDeclaration(declaration) || !isConstDeclaration(ts, declaration)) return undefined;
  if (mutated(declaration, root.text)) return undefined;
  let node = declaration.initializer && unwrapExpression(ts, declaration.initializer);
  for (const name of path) {
    if (!node || !ts.isObjectLiteralExpression(node)) return undefined;
    const property = node.properties.find(
      (p) =>
        ts.isPropertyAssignment(p) &&
        (ts.isIdentifier(p.name) || ts.isStringLiteralLike(p.name)) &&
        p.name.text === name,
    );
    node = property && ts.isPropertyAssignment(property) ? unwrapExpression(ts, property.initializer) : undefined;
  }
  return node ? fixed(ts, node as TypeScript.Expression, callersOf, seen, depth + 1) : undefined;
}

function isConstDeclaration(ts: typeof TypeScript, declaration: TypeScript.VariableDeclaration): boolean {
  const list = declaration.parent;
  return ts.isVariableDeclarationList(list) && (list.flags & ts.NodeFlags.Const) !== 0;
}

/** `const config = require('config')` / `require('./settings.json')`: a configuration module bound by a require. */
function requiredConfig(ts: typeof TypeScript, declaration: TypeScript.Node, name: string): FixedSetKind | undefined {
  if (!ts.isVariableDeclaration(declaration) || !ts.isSourceFile(declaration.parent.parent.parent)) return undefined;
  const binding = importBindings(ts, declaration.getSourceFile()).get(name);
  return binding && CONFIG_MODULE.test(binding.module) ? 'configuration' : undefined;
}

/**
 * The const's value is changed after it is made: `list.push(row)`, `map[key] = …`, `state.items.splice(…)` — a
 * list filled at run time, however it started (`const rows = []`).
 */
function mutated(declaration: TypeScript.VariableDeclaration, name: string): boolean {
  const escaped = name.replace(/\$/g, '\\$');
  const change = new RegExp(
    `(?<![\\w$.])${escaped}(?:\\s*(?:\\??\\.\\s*[\\w$]+|\\[[^\\]]*\\]))*\\s*(?:\\.\\s*(?:push|unshift|splice|add|set)\\s*\\(|=(?![=>]))`,
  );
  // Within the scope that declares it: the function, or the module for a module constant.
  let scope: TypeScript.Node = declaration;
  while (scope.parent && !holdsStatements(scope.parent)) scope = scope.parent;
  const text = (scope.parent ?? scope).getText();
  // The declaration's own `name = …` is not a change.
  return change.test(text.replace(declaration.getText(), ''));
}

/** A block, module or source file: what holds statements, and so a declaration's scope. */
function holdsStatements(node: TypeScript.Node): boolean {
  return Array.isArray((node as { statements?: unknown }).statements);
}

function callFixed(
  ts: typeof TypeScript,
  call: TypeScript.CallExpression,
  again: (next: TypeScript.Expression) => FixedSetKind | undefined,
): FixedSetKind | undefined {
  const callee = call.expression;
  const text = callee.getText();
  const first = call.arguments[0];
  if (ts.isPropertyAccessExpression(callee)) {
    const method = callee.name.text;
    // `list.filter(…)`, `Object.keys(x)` below; `text.split(',')`, `buffer.toString('utf8')`: the receiver's elements.
    if (SAME_OR_FEWER.test(method) || method === 'split' || method === 'toString' || method === 'trim')
      if (!/^(Object|Array)$/.test(callee.expression.getText())) return again(callee.expression);
  }
  if (!first || ts.isSpreadElement(first)) return undefined;
  // `Array.from({ length: count })` is as long as `count`: only a list or a set's elements are followed.
  if (text === 'Array.from' && ts.isObjectLiteralExpression(unwrapExpression(ts, first))) return undefined;
  if (/^Object\.(keys|values|entries)$|^Array\.from$|^Buffer\.from$/.test(text)) return again(first);
  // `yaml.parse(runpacks)`, `JSON.parse(process.env.USERS)`: fixed when the text is.
  if (PARSE.test(text)) return again(first);
  // `readFileSync(join(__dirname, 'packs.yaml'), 'utf8')`: a file the code names, shipped or mounted with it.
  if (READ_FILE.test(text)) return writtenPath(ts, first) ? 'configuration' : undefined;
  return undefined;
}

/** A path written in the code: a literal, or `join(__dirname, 'a', 'b.yaml')` of literals and the module's folder. */
function writtenPath(ts: typeof TypeScript, node: TypeScript.Expression): boolean {
  const value = unwrapExpression(ts, node);
  if (ts.isStringLiteralLike(value)) return true;
  if (ts.isIdentifier(value)) return value.text === '__dirname' || value.text === '__filename';
  if (ts.isCallExpression(value) && PATH_JOIN.test(value.expression.getText()))
    return value.arguments.length > 0 && value.arguments.every((a) => writtenPath(ts, a as TypeScript.Expression));
  return false;
}

function identifierFixed(
  ts: typeof TypeScript,
  id: TypeScript.Identifier,
  callersOf: CallersOf | undefined,
  seen: Set<TypeScript.Node>,
  depth: number,
): FixedSetKind | undefined {
  const source = id.getSourceFile();
  const declaration = declarationOf(ts, id);
  if (declaration && ts.isVariableDeclaration(declaration)) {
    // A `let` may be given anything later: only a `const` is what its initializer says.
    const list = declaration.parent;
    const isConst = ts.isVariableDeclarationList(list) && (list.flags & ts.NodeFlags.Const) !== 0;
    if (!isConst || !declaration.initializer) return undefined;
    const fromConfig = requiredConfig(ts, declaration, id.text);
    if (fromConfig) return fromConfig;
    if (mutated(declaration, id.text)) return undefined;
    // The element of a loop is not the set; a destructured element of a const is judged with the const.
    if (ts.isForOfStatement(list.parent) || ts.isForInStatement(list.parent)) return undefined;
    return fixed(ts, declaration.initializer, callersOf, seen, depth + 1);
  }
  if (declaration && ts.isParameter(declaration)) return parameterFixed(ts, declaration, callersOf, depth);
  if (declaration) return undefined;
  // Not a variable of a scope: a module's import or enum.
  for (const statement of source.statements)
    if (ts.isEnumDeclaration(statement) && statement.name.text === id.text) return 'code';
  const binding = importBindings(ts, source).get(id.text);
  if (!binding) return undefined;
  if (CONFIG_MODULE.test(binding.module)) return 'configuration';
  // A project module's export handed to a parser (`yaml.parse(runpacks)` of `./runpacks.seed`): text in the code.
  if (/^\.{1,2}\//.test(binding.module) && parsedHere(ts, id)) return 'code';
  return undefined;
}

/** The name is the text a configuration parser reads (`yaml.parse(name)`). */
function parsedHere(ts: typeof TypeScript, id: TypeScript.Identifier): boolean {
  const parent = id.parent;
  return ts.isCallExpression(parent) && parent.arguments[0] === id && PARSE.test(parent.expression.getText());
}

/** A parameter every caller in the file fills with a fixed set (at least one caller). */
function parameterFixed(
  ts: typeof TypeScript,
  parameter: TypeScript.ParameterDeclaration,
  callersOf: CallersOf | undefined,
  depth: number,
): FixedSetKind | undefined {
  if (!callersOf || depth > 4) return undefined;
  const fn = parameter.parent;
  const name = functionName(ts, fn);
  // Only a function no other module can call shows all its callers here: an exported function or a public method
  // may be handed a request's list elsewhere.
  if (!name || !callableOnlyHere(ts, fn, name)) return undefined;
  const index = fn.parameters.indexOf(parameter);
  const callers = callersOf(name);
  if (callers.length === 0) return undefined;
  let kind: FixedSetKind | undefined;
  for (const caller of callers) {
    const argument = caller.call.arguments[index];
    if (!argument || ts.isSpreadElement(argument)) return undefined;
    const found = fixed(ts, argument, undefined, new Set(), depth + 1);
    if (!found) return undefined;
    kind ??= found;
  }
  return kind;
}

/** A module's own function it does not export, or a private method: its callers are all in this file. */
function callableOnlyHere(ts: typeof TypeScript, fn: TypeScript.SignatureDeclaration, name: string): boolean {
  const modifiers = (node: TypeScript.Node) => (ts.canHaveModifiers(node) ? (ts.getModifiers(node) ?? []) : []);
  const exportedByModifier = (node: TypeScript.Node) =>
    modifiers(node).some((m) => m.kind === ts.SyntaxKind.ExportKeyword || m.kind === ts.SyntaxKind.DefaultKeyword);
  if (ts.isMethodDeclaration(fn))
    return ts.isPrivateIdentifier(fn.name) || modifiers(fn).some((m) => m.kind === ts.SyntaxKind.PrivateKeyword);
  let statement: TypeScript.Node | undefined = fn;
  if (!ts.isFunctionDeclaration(fn)) {
    // `const helper = (…) => …` at the top of the module.
    const declaration = fn.parent;
    statement = declaration && ts.isVariableDeclaration(declaration) ? declaration.parent?.parent : undefined;
    if (!statement || !ts.isVariableStatement(statement)) return false;
  }
  if (!ts.isSourceFile(statement.parent) || exportedByModifier(statement)) return false;
  const escaped = name.replace(/\$/g, '\\$');
  const exportedLater = new RegExp(
    `\\bexport\\s*\\{[^}]*(?<![\\w$])${escaped}(?![\\w$])|\\bexports\\.${escaped}(?![\\w$])|\\bmodule\\.exports\\b[^;]*(?<![\\w$])${escaped}(?![\\w$])`,
  );
  return !exportedLater.test(statement.getSourceFile().text);
}
