/**
 * TypeORM entities (read by typeorm-read.ts) as schema events: one create-table per `@Entity` with the
 * columns, relations and keys of the classes it extends, foreign keys to the owning relations'
 * targets, and create-index events for `@Index` / `@Unique` — named as TypeORM's default naming
 * strategy (or `typeorm-naming-strategies`' snake case) names them.
 */
import type {
  ColumnDefinition,
  ConstraintDefinition,
  IndexDefinition,
  SchemaEvent,
  TableName,
} from '../../../model/schema.js';
import type { EntityClass, EntityColumn, EntityRelation, IndexOptions, NamingOptions } from './typeorm-read.js';
import { declaredTableEvents } from './table-events.js';

/**
 * The create-table and create-index events of the entities, with inherited columns and relations
 * resolved: `classOf` finds a class by name as seen from a file (its own or an imported one).
 * `children` are the `@ChildEntity` classes read with them: a single-table hierarchy's children
 * add their columns, relations and keys to the table of the entity they extend.
 */
export function entityEvents(
  entities: EntityClass[],
  classOf: (name: string, fromFile: string) => EntityClass | undefined,
  naming: NamingOptions,
  children: readonly EntityClass[] = [],
): SchemaEvent[] {
  const events: SchemaEvent[] = [];
  for (const entity of entities) {
    if (!entity.entity || entity.document) continue;
    const flat = withChildren(entity, flatten(entity, classOf), children, classOf);
    const table = tableNameOf(entity);
    const columnName = (c: EntityColumn) => c.name ?? (naming.snakeCase ? snakeCase(c.property) : c.property);
    const columns: ColumnDefinition[] = flat.columns.map((c) => ({
      name: columnName(c),
      type: c.type,
      nullable: c.nullable,
      constraints: c.unique ? [{ kind: 'unique', columns: [], origin: c.origin }] : [],
      origin: c.origin,
    }));
    const constraints: ConstraintDefinition[] = [];
    const primary = flat.columns.filter((c) => c.primary);
    if (primary.length > 0)
      constraints.push({ kind: 'primary-key', columns: primary.map(columnName), origin: primary[0]!.origin });
    const indexes: IndexDefinition[] = [];
    const byProperty = new Map<string, string[]>(flat.columns.map((c) => [c.property, [columnName(c)]]));
    let partlyKnown = flat.partlyKnown;
    for (const relation of flat.relations) {
      const target = classOf(relation.target, relation.origin.file);
      const targetFlat = target?.entity ? flatten(target, classOf) : undefined;
      if (!target || !targetFlat) {
        partlyKnown = true;
        continue;
      }
      const targetPrimary = targetFlat.columns.filter((c) => c.primary);
      const pairs: Array<{ name?: string; referencedColumnName?: string }> =
        relation.joinColumns.length > 0 ? relation.joinColumns : targetPrimary.map(() => ({}));
      const referenced = pairs.map((pair, i) => {
        const column = pair.referencedColumnName
          ? targetFlat.columns.find((c) => c.property === pair.referencedColumnName)
          : targetPrimary[i];
        return column;
      });
      if (pairs.length === 0 || referenced.some((c) => c === undefined)) {
        partlyKnown = true;
        continue;
      }
      const names = pairs.map(
        (pair, i) => pair.name ?? joinColumnName(relation.property, referenced[i]!.property, naming),
      );
      for (const [i, name] of names.entries()) {
        // The foreign key column is often declared too (`@Column() userId`): one column.
        if (columns.some((c) => c.name === name)) continue;
        const targetColumn = referenced[i]!;
        columns.push({
          name,
          type: targetColumn.type,
          nullable: relation.nullable,
          constraints: [],
          origin: relation.origin,
        });
      }
      constraints.push({
        kind: 'foreign-key',
        columns: names,
        references: {
          table: tableNameOf(target),
          columns: referenced.map((c) => c!.name ?? (naming.snakeCase ? snakeCase(c!.property) : c!.property)),
        },
        ...(relation.onDelete ? { onDelete: relation.onDelete } : {}),
        origin: relation.origin,
      });
      if (relation.oneToOne) constraints.push({ kind: 'unique', columns: names, origin: relation.origin });
      byProperty.set(relation.property, names);
    }
    for (const c of flat.columns) if (c.index) indexes.push(indexOf(table, [columnName(c)], c.index));
    for (const relation of flat.relations) {
      const names = byProperty.get(relation.property);
      if (relation.index && names) indexes.push(indexOf(table, names, relation.index));
    }
    for (const key of flat.keys) {
      const keyColumns = key.properties.map((p) => byProperty.get(p));
      if (keyColumns.some((c) => c === undefined)) {
        partlyKnown = true;
        continue;
      }
      const list = keyColumns.flat() as string[];
      if (key.kind === 'unique')
        constraints.push({
          kind: 'unique',
          ...(key.name ? { name: key.name } : {}),
          columns: list,
          origin: key.origin,
        });
      else
        indexes.push(
          indexOf(table, list, {
            ...(key.name ? { name: key.name } : {}),
            unique: key.unique,
            ...(key.where !== undefined ? { where: key.where } : {}),
            origin: key.origin,
          }),
        );
    }
    events.push(...declaredTableEvents({ table, columns, constraints, partlyKnown, origin: entity.origin }, indexes));
  }
  return events;
}

/** The table an entity maps to: its `@Entity` name, else its class name in snake case (TypeORM's default). */
export function tableNameOf(entity: EntityClass): TableName {
  return entity.tableName ?? { name: snakeCase(entity.className) };
}

/**
 * An entity with the columns, relations and keys its `@ChildEntity` classes declare themselves
 * (those whose chain of base classes reaches it), after its own: one table holds the hierarchy.
 */
function withChildren(
  entity: EntityClass,
  flat: ReturnType<typeof flatten>,
  children: readonly EntityClass[],
  classOf: (name: string, fromFile: string) => EntityClass | undefined,
): ReturnType<typeof flatten> {
  const columns = new Map(flat.columns.map((c) => [c.property, c]));
  const relations = new Map(flat.relations.map((r) => [r.property, r]));
  const keys = [...flat.keys];
  let partlyKnown = flat.partlyKnown;
  for (const child of children) {
    if (!extendsEntity(child, entity, classOf)) continue;
    for (const c of child.columns) if (!columns.has(c.property)) columns.set(c.property, c);
    for (const r of child.relations) if (!relations.has(r.property)) relations.set(r.property, r);
    keys.push(...child.keys);
    partlyKnown ||= child.partlyKnown;
  }
  return { columns: [...columns.values()], relations: [...relations.values()], keys, partlyKnown };
}

function extendsEntity(
  cls: EntityClass,
  entity: EntityClass,
  classOf: (name: string, fromFile: string) => EntityClass | undefined,
): boolean {
  let current: EntityClass | undefined = cls;
  for (let depth = 0; current?.extendsName !== undefined && depth < 5; depth++) {
    current = classOf(current.extendsName, current.file);
    if (current === entity) return true;
  }
  return false;
}

/** An entity with the columns, relations and keys of the classes it extends (base first). */
function flatten(
  entity: EntityClass,
  classOf: (name: string, fromFile: string) => EntityClass | undefined,
): Pick<EntityClass, 'columns' | 'relations' | 'keys' | 'partlyKnown'> {
  const chain: EntityClass[] = [entity];
  let partlyKnown = entity.partlyKnown;
  for (let current = entity; current.extendsName !== undefined && chain.length < 5; ) {
    const base = classOf(current.extendsName, current.file);
    if (!base) {
      partlyKnown = true;
      break;
    }
    chain.unshift(base);
    partlyKnown ||= base.partlyKnown;
    current = base;
  }
  const columns = new Map<string, EntityColumn>();
  const relations = new Map<string, EntityRelation>();
  for (const cls of chain) {
    for (const c of cls.columns) columns.set(c.property, c);
    for (const r of cls.relations) relations.set(r.property, r);
  }
  return {
    columns: [...columns.values()],
    relations: [...relations.values()],
    keys: chain.flatMap((c) => c.keys),
    partlyKnown,
  };
}

/** TypeORM's default: camelCase(relation + '_' + referenced column); snake case under SnakeNamingStrategy. */
function joinColumnName(relation: string, referenced: string, naming: NamingOptions): string {
  return naming.snakeCase
    ? `${snakeCase(relation)}_${snakeCase(referenced)}`
    : `${relation}${referenced.charAt(0).toUpperCase()}${referenced.slice(1)}`;
}

function indexOf(table: TableName, columns: string[], index: IndexOptions): IndexDefinition {
  return {
    ...(index.name ? { name: index.name } : {}),
    table,
    columns,
    unique: index.unique,
    partial: index.where !== undefined,
    ...(index.where ? { predicate: `typeorm:${index.where}` } : {}),
    ifNotExists: false,
    concurrently: false,
    origin: index.origin,
  };
}

/** TypeORM's snakeCase: `UserProfile` → `user_profile`, `userId` → `user_id`. */
export function snakeCase(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}
