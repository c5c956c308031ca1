/**
 * TypeORM entity classes as schema events: `@Entity()` classes with their column decorators
 * (`@Column`, `@PrimaryColumn`, `@PrimaryGeneratedColumn`, the date/version columns), owning
 * relations (`@ManyToOne`, `@OneToOne` + `@JoinColumn`) as foreign keys, and `@Index` / `@Unique`
 * on properties and classes. Read from the syntax tree only — the project's code is never run — and
 * named as TypeORM's default naming strategy (or `typeorm-naming-strategies`' snake case) names
 * them (as schema events: typeorm-events.ts). What cannot be read statically (a base class archlint cannot find, an embedded entity, an
 * index given by a function) makes the table partly known, so no rule judges what it cannot see.
 */
import type { ts as TypeScript } from 'ts-morph';
import { property as property_, stringValue, unwrap, referentialAction } from './ts-syntax.js';
import type { Origin } from '../../../model/finding.js';
import type { ColumnType, ReferentialAction, TableName } from '../../../model/schema.js';

type Ts = typeof TypeScript;

/** Files that import TypeORM and declare an entity (the only files read). */
export const TYPEORM_ENTITY_FILE =
  /from\s+['"]typeorm['"][\s\S]*@Entity\s*\(|@Entity\s*\([\s\S]*from\s+['"]typeorm['"]/;

const COLUMN_DECORATORS = new Set([
  'Column',
  'PrimaryColumn',
  'PrimaryGeneratedColumn',
  'CreateDateColumn',
  'UpdateDateColumn',
  'DeleteDateColumn',
  'VersionColumn',
]);
const PRIMARY_DECORATORS = new Set(['PrimaryColumn', 'PrimaryGeneratedColumn']);
const OWNING_RELATIONS = new Set(['ManyToOne', 'OneToOne']);
/** Decorators that make a class something other than a table: a view. */
const OTHER_TABLE_KINDS = new Set(['ViewEntity']);
/**
 * A primary key column given by a decorator of the project's own, named as TypeORM names its own
 * (`@PrimaryGeneratedId()` — vendure's VendureEntity, whose id type an EntityIdStrategy picks at
 * run time): the column and its key are known, its type is not.
 */
const OWN_PRIMARY_DECORATOR = /^Primary[A-Z]\w*$/;

export interface NamingOptions {
  /** `typeorm-naming-strategies`' SnakeNamingStrategy: columns and join columns in snake case. */
  snakeCase: boolean;
}

/** One entity class as read, before relations to other entities are resolved. */
export interface EntityClass {
  file: string;
  className: string;
  /** Declared with `@Entity` (a base class read only for its columns has none). */
  entity: boolean;
  /** `@Entity('name')` / `@Entity({ name, schema })`, when given. */
  tableName?: TableName;
  origin: Origin;
  /** The class it extends, when not TypeORM's own `BaseEntity`. */
  extendsName?: string;
  columns: EntityColumn[];
  relations: EntityRelation[];
  /** Class-level `@Index([...])` / `@Unique([...])`, by property names. */
  keys: Array<{
    kind: 'index' | 'unique';
    name?: string;
    properties: string[];
    unique: boolean;
    where?: string;
    origin: Origin;
  }>;
  partlyKnown: boolean;
  /** A MongoDB entity (`@ObjectIdColumn`): no SQL table. */
  document: boolean;
  /**
   * `@ChildEntity()`: a class of a single-table hierarchy, whose columns and relations live in the
   * table of the `@TableInheritance` entity it extends.
   */
  child?: boolean;
}

export interface EntityColumn {
  property: string;
  /** `name` given in the decorator's options. */
  name?: string;
  type: ColumnType;
  nullable: boolean;
  primary: boolean;
  unique: boolean;
  /** `@Index()` on the property. */
  index?: IndexOptions;
  origin: Origin;
}

export interface EntityRelation {
  property: string;
  /** A one-to-one: TypeORM makes its join columns unique (a `REL_…` constraint). */
  oneToOne: boolean;
  /** The target entity's class name. */
  target: string;
  /** `@JoinColumn({ name, referencedColumnName })`, one per column; empty: the defaults. */
  joinColumns: Array<{ name?: string; referencedColumnName?: string }>;
  onDelete?: ReferentialAction;
  nullable: boolean;
  index?: IndexOptions;
  origin: Origin;
}

/** Every class of one file that declares columns (entities, and base classes they may extend). */
export function readEntityFile(ts: Ts, path: string, sourceFile: TypeScript.SourceFile): EntityClass[] {
  const imports = typeormImports(ts, sourceFile);
  if (imports.size === 0) return [];
  const origin = (node: TypeScript.Node): Origin => ({
    file: path,
    range: { start: node.getStart(sourceFile), end: node.getEnd() },
  });
  const classes: EntityClass[] = [];
  for (const statement of sourceFile.statements) {
    if (!ts.isClassDeclaration(statement) || !statement.name) continue;
    const decorators = decoratorsOf(ts, statement, imports);
    if (decorators.some((d) => OTHER_TABLE_KINDS.has(d.name))) continue;
    const entityDecorator = decorators.find((d) => d.name === 'Entity');
    const childDecorator = decorators.find((d) => d.name === 'ChildEntity');
    const read: EntityClass = {
      file: path,
      className: statement.name.text,
      entity: entityDecorator !== undefined,
      origin: origin(entityDecorator?.node ?? statement.name),
      columns: [],
      relations: [],
      keys: [],
      partlyKnown: false,
      document: false,
      ...(childDecorator ? { child: true } : {}),
    };
    const inheritance = decorators.find((d) => d.name === 'TableInheritance');
    if (entityDecorator && inheritance) {
      const discriminator = discriminatorColumn(ts, inheritance.call);
      if (discriminator) read.columns.push({ ...discriminator, origin: origin(inheritance.node) });
      else read.partlyKnown = true;
    }
    if (entityDecorator) {
      const name = entityName(ts, entityDecorator.call);
      if (name === null) read.partlyKnown = true;
      else if (name) read.tableName = name;
    }
    const heritage = statement.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]
      ?.expression;
    if (heritage) {
      if (ts.isIdentifier(heritage) && imports.get(heritage.text) !== 'BaseEntity') read.extendsName = heritage.text;
      else if (!ts.isIdentifier(heritage)) read.partlyKnown = true;
    }
    for (const decorator of decorators) {
      if (decorator.name === 'Index' || decorator.name === 'Unique') {
        const key = classKey(ts, decorator, origin);
        if (key) read.keys.push(key);
        else read.partlyKnown = true;
      }
    }
    for (const member of statement.members) readMember(ts, member, read, imports, origin);
    if (read.entity || read.child || read.columns.length > 0 || read.relations.length > 0) classes.push(read);
  }
  return classes;
}

interface Decorator {
  /** The TypeORM export it is (`Column`), through import aliases. */
  name: string;
  call: TypeScript.CallExpression | undefined;
  node: TypeScript.Decorator;
}

function decoratorsOf(ts: Ts, node: TypeScript.Node, imports: Map<string, string>): Decorator[] {
  const list = ts.canHaveDecorators(node) ? (ts.getDecorators(node) ?? []) : [];
  const out: Decorator[] = [];
  for (const decorator of list) {
    const expression = decorator.expression;
    const callee = ts.isCallExpression(expression) ? expression.expression : expression;
    if (!ts.isIdentifier(callee)) continue;
    const name = imports.get(callee.text);
    if (name) out.push({ name, call: ts.isCallExpression(expression) ? expression : undefined, node: decorator });
  }
  return out;
}

function readMember(
  ts: Ts,
  member: TypeScript.ClassElement,
  read: EntityClass,
  imports: Map<string, string>,
  origin: (node: TypeScript.Node) => Origin,
): void {
  if (!ts.isPropertyDeclaration(member)) return;
  const decorators = decoratorsOf(ts, member, imports);
  const property = ts.isIdentifier(member.name) || ts.isStringLiteral(member.name) ? member.name.text : undefined;
  if (decorators.length === 0) {
    if (property !== undefined && ownPrimaryDecorator(ts, member, imports))
      read.columns.push({
        property,
        type: { name: 'unknown', array: false },
        nullable: false,
        primary: true,
        unique: false,
        origin: origin(member),
      });
    return;
  }
  if (property === undefined) {
    read.partlyKnown = true;
    return;
  }
  const indexDecorator = decorators.find((d) => d.name === 'Index');
  const index = indexDecorator ? propertyIndex(ts, indexDecorator, origin) : undefined;
  if (indexDecorator && !index) read.partlyKnown = true;
  if (decorators.some((d) => d.name === 'ObjectIdColumn')) read.document = true;

  const column = decorators.find((d) => COLUMN_DECORATORS.has(d.name));
  if (column) {
    const args = column.call?.arguments ?? ([] as unknown as TypeScript.NodeArray<TypeScript.Expression>);
    // `@Column(() => Address)`: an embedded entity's columns, prefixed; not followed.
    if (args[0] && (ts.isArrowFunction(args[0]) || ts.isFunctionExpression(args[0]))) {
      read.partlyKnown = true;
      return;
    }
    const typeArg = stringValue(ts, args[0]);
    const options = args.find((a): a is TypeScript.ObjectLiteralExpression => ts.isObjectLiteralExpression(a));
    const declaredType = typeArg ?? (options ? stringValue(ts, property_(ts, options, 'type')) : undefined);
    const primary =
      PRIMARY_DECORATORS.has(column.name) || (options !== undefined && booleanOption(ts, options, 'primary') === true);
    const nullable = !primary && options !== undefined && booleanOption(ts, options, 'nullable') === true;
    const name = options ? stringValue(ts, property_(ts, options, 'name')) : undefined;
    read.columns.push({
      property,
      ...(name ? { name } : {}),
      type: columnType(column.name, declaredType, typeArg, member.type ? member.type.getText() : undefined),
      nullable,
      primary,
      unique: options !== undefined && booleanOption(ts, options, 'unique') === true,
      ...(index ? { index } : {}),
      origin: origin(member),
    });
    return;
  }
  const relation = decorators.find((d) => OWNING_RELATIONS.has(d.name));
  if (!relation) return;
  const joinColumn = decorators.find((d) => d.name === 'JoinColumn');
  // A one-to-one holds the key on the side with @JoinColumn; the other side holds nothing.
  if (relation.name === 'OneToOne' && !joinColumn) return;
  const target = relationTarget(ts, relation.call?.arguments[0]);
  const options = relation.call?.arguments.find((a): a is TypeScript.ObjectLiteralExpression =>
    ts.isObjectLiteralExpression(a),
  );
  const joinColumns = joinColumn ? joinColumnsOf(ts, joinColumn.call) : [];
  if (target === undefined || joinColumns === undefined) {
    read.partlyKnown = true;
    return;
  }
  const onDelete = onDeleteOf(ts, options);
  read.relations.push({
    property,
    oneToOne: relation.name === 'OneToOne',
    target,
    joinColumns,
    ...(onDelete ? { onDelete } : {}),
    nullable: !(options && booleanOption(ts, options, 'nullable') === false),
    ...(index ? { index } : {}),
    origin: origin(member),
  });
}

/** `{ onDelete: 'CASCADE' }` → the action; no option: the database's default, NO ACTION; undefined when it cannot be read. */
function onDeleteOf(ts: Ts, options: TypeScript.ObjectLiteralExpression | undefined): ReferentialAction | undefined {
  const written = options ? property_(ts, options, 'onDelete') : undefined;
  if (!written) return 'no-action';
  const value = stringValue(ts, written);
  return value === undefined ? undefined : referentialAction(value);
}

/** A decorator of the project's own (not TypeORM's) named for a primary column: `@PrimaryGeneratedId()`. */
function ownPrimaryDecorator(ts: Ts, member: TypeScript.PropertyDeclaration, imports: Map<string, string>): boolean {
  return (ts.getDecorators(member) ?? []).some((decorator) => {
    const expression = decorator.expression;
    const callee = ts.isCallExpression(expression) ? expression.expression : expression;
    return ts.isIdentifier(callee) && !imports.has(callee.text) && OWN_PRIMARY_DECORATOR.test(callee.text);
  });
}

/**
 * `@TableInheritance({ column: { type: 'varchar', name: 'kind' } })`: the discriminator column TypeORM
 * adds to the hierarchy's table (`type`, varchar, when not named); undefined when it cannot be read.
 */
function discriminatorColumn(
  ts: Ts,
  call: TypeScript.CallExpression | undefined,
): Omit<EntityColumn, 'origin'> | undefined {
  const options = call?.arguments[0];
  const base = { nullable: false, primary: false, unique: false };
  const fallback = { property: 'type', name: 'type', type: { name: 'varchar', array: false }, ...base };
  if (!options) return fallback;
  if (!ts.isObjectLiteralExpression(options)) return undefined;
  const column = property_(ts, options, 'column');
  if (!column) return fallback;
  if (!ts.isObjectLiteralExpression(column)) return undefined;
  const nameNode = property_(ts, column, 'name');
  const typeNode = property_(ts, column, 'type');
  const name = nameNode ? stringValue(ts, nameNode) : 'type';
  const type = typeNode ? stringValue(ts, typeNode) : 'varchar';
  if (name === undefined || type === undefined) return undefined;
  return { property: name, name, type: columnType('Column', type, type, undefined), ...base };
}

/** `@Entity()` → '' (the default name), `@Entity('t')`, `@Entity({ name, schema })`; null when it cannot be read. */
function entityName(ts: Ts, call: TypeScript.CallExpression | undefined): TableName | '' | null {
  const first = call?.arguments[0];
  if (!first) return '';
  const text = stringValue(ts, first);
  const options = ts.isObjectLiteralExpression(first)
    ? first
    : call.arguments.find((a): a is TypeScript.ObjectLiteralExpression => ts.isObjectLiteralExpression(a));
  if (text === undefined && !ts.isObjectLiteralExpression(first)) return null;
  const name = text ?? (options ? stringValue(ts, property_(ts, options, 'name')) : undefined);
  const schema = options ? stringValue(ts, property_(ts, options, 'schema')) : undefined;
  if (options && property_(ts, options, 'name') && name === undefined) return null;
  if (name === undefined) return schema ? null : '';
  return schema ? { schema, name } : { name };
}

/** Class-level `@Index(['a', 'b'], { unique })`, `@Index('name', ['a'])`, `@Unique('name', ['a', 'b'])`. */
function classKey(
  ts: Ts,
  decorator: Decorator,
  origin: (node: TypeScript.Node) => Origin,
): EntityClass['keys'][number] | undefined {
  const args = decorator.call?.arguments ?? [];
  const name = stringValue(ts, args[0]);
  const list = args.find((a) => ts.isArrayLiteralExpression(a)) as TypeScript.ArrayLiteralExpression | undefined;
  if (!list) return undefined;
  const properties = list.elements.map((e) => stringValue(ts, e));
  if (properties.some((p) => p === undefined)) return undefined;
  const options = args.find((a) => ts.isObjectLiteralExpression(a)) as TypeScript.ObjectLiteralExpression | undefined;
  const unique =
    decorator.name === 'Unique' || (options !== undefined && booleanOption(ts, options, 'unique') === true);
  return {
    kind: decorator.name === 'Unique' ? 'unique' : 'index',
    ...(name ? { name } : {}),
    properties: properties as string[],
    unique,
    ...whereOption(ts, options),
    origin: origin(decorator.node),
  };
}

/** `@Index()`, `@Index('name')`, `@Index({ unique: true })` on a property. */
function propertyIndex(
  ts: Ts,
  decorator: Decorator,
  origin: (node: TypeScript.Node) => Origin,
): IndexOptions | undefined {
  const args = decorator.call?.arguments ?? [];
  if (args.some((a) => ts.isArrayLiteralExpression(a) || ts.isArrowFunction(a))) return undefined;
  const name = stringValue(ts, args[0]);
  const options = args.find((a) => ts.isObjectLiteralExpression(a)) as TypeScript.ObjectLiteralExpression | undefined;
  return {
    ...(name ? { name } : {}),
    unique: options !== undefined && booleanOption(ts, options, 'unique') === true,
    ...whereOption(ts, options),
    origin: origin(decorator.node),
  };
}

export type IndexOptions = { name?: string; unique: boolean; where?: string; origin: Origin };

/**
 * `@Index(…, { where: "status = 'running'" })`: a partial index. Its predicate as written, spaces
 * collapsed (two indexes of one entity compare equal only when their conditions read the same);
 * `''` when the condition is not a literal (the index is partial, its predicate unknown).
 */
function whereOption(ts: Ts, options: TypeScript.ObjectLiteralExpression | undefined): { where?: string } {
  const written = options ? property_(ts, options, 'where') : undefined;
  if (!written) return {};
  return { where: (stringValue(ts, written) ?? '').replace(/\s+/g, ' ').trim() };
}

/** `() => User`, `(type) => User`, `'User'`. */
function relationTarget(ts: Ts, argument: TypeScript.Expression | undefined): string | undefined {
  if (!argument) return undefined;
  const text = stringValue(ts, argument);
  if (text !== undefined) return text;
  if ((ts.isArrowFunction(argument) || ts.isFunctionExpression(argument)) && !ts.isBlock(argument.body)) {
    const body = unwrap(ts, argument.body);
    if (ts.isIdentifier(body)) return body.text;
  }
  return undefined;
}

/** `@JoinColumn()`, `@JoinColumn({ name })`, `@JoinColumn([{ name, referencedColumnName }, …])`; undefined when unreadable. */
function joinColumnsOf(
  ts: Ts,
  call: TypeScript.CallExpression | undefined,
): Array<{ name?: string; referencedColumnName?: string }> | undefined {
  const first = call?.arguments[0];
  if (!first) return [];
  const objects = ts.isArrayLiteralExpression(first) ? [...first.elements] : [first];
  const out: Array<{ name?: string; referencedColumnName?: string }> = [];
  for (const object of objects) {
    if (!ts.isObjectLiteralExpression(object)) return undefined;
    const name = property_(ts, object, 'name');
    const referenced = property_(ts, object, 'referencedColumnName');
    const nameText = stringValue(ts, name);
    const referencedText = stringValue(ts, referenced);
    if ((name && nameText === undefined) || (referenced && referencedText === undefined)) return undefined;
    out.push({
      ...(nameText ? { name: nameText } : {}),
      ...(referencedText ? { referencedColumnName: referencedText } : {}),
    });
  }
  return out;
}

/**
 * The column type as the SQL input names it. TypeORM infers a type from the property's TypeScript
 * type when none is given: `number` → integer, `string` → varchar, `boolean` → boolean, `Date` →
 * timestamp (without time zone on PostgreSQL).
 */
function columnType(
  decorator: string,
  declared: string | undefined,
  generationStrategy: string | undefined,
  tsType: string | undefined,
): ColumnType {
  if (decorator === 'PrimaryGeneratedColumn')
    return { name: generationStrategy === 'uuid' ? 'uuid' : 'integer', array: false };
  if (decorator === 'VersionColumn') return { name: 'integer', array: false };
  const name = (declared ?? inferredType(decorator, tsType)).toLowerCase();
  const canonical: Record<string, string> = {
    int: 'integer',
    int4: 'integer',
    int8: 'bigint',
    float: 'double precision',
    float8: 'double precision',
    double: 'double precision',
    float4: 'real',
    decimal: 'numeric',
    'timestamp without time zone': 'timestamp',
    'timestamp with time zone': 'timestamptz',
    'character varying': 'varchar',
  };
  return { name: canonical[name] ?? name, array: false };
}

function inferredType(decorator: string, tsType: string | undefined): string {
  if (decorator === 'CreateDateColumn' || decorator === 'UpdateDateColumn' || decorator === 'DeleteDateColumn')
    return 'timestamp';
  const base = (tsType ?? '').replace(/\s*\|\s*(null|undefined)\b/g, '').trim();
  if (base === 'number') return 'integer';
  if (base === 'boolean') return 'boolean';
  if (base === 'Date') return 'timestamp';
  if (base === 'string') return 'varchar';
  return base === '' ? 'unknown' : base;
}

/** Local name → TypeORM export, for what the file imports from `typeorm`. */
function typeormImports(ts: Ts, sourceFile: TypeScript.SourceFile): Map<string, string> {
  const names = new Map<string, string>();
  for (const statement of sourceFile.statements) {
    if (
      !ts.isImportDeclaration(statement) ||
      !ts.isStringLiteral(statement.moduleSpecifier) ||
      statement.moduleSpecifier.text !== 'typeorm'
    )
      continue;
    const bindings = statement.importClause?.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    for (const element of bindings.elements) names.set(element.name.text, (element.propertyName ?? element.name).text);
  }
  return names;
}

function booleanOption(ts: Ts, object: TypeScript.ObjectLiteralExpression, key: string): boolean | undefined {
  const value = property_(ts, object, key);
  if (!value) return undefined;
  if (value.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (value.kind === ts.SyntaxKind.FalseKeyword) return false;
  return undefined;
}
