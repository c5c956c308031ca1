/**
 * The names Prisma Client gives the tables of a schema (`prisma.<accessor>.<op>`), their columns
 * (field names) and relations, read from the deployed `.prisma` files and attached to the schemas
 * whose tables they declare — migration folders too, whose SQL knows only table and column names.
 * A rule asking "does the code query this table by that key" needs both sides of the mapping.
 */
import { formatTableName, type OrmNames, type OrmTableNames, type Schema } from '../../../model/schema.js';
import { keyUse } from '../../../model/key-usage.js';
import type { InputEnv } from '../../env.js';
import type { PrismaModel, PrismaSchemaFile } from './prisma-parse.js';
import { deployedPrismaFolders } from './prisma-schemas.js';
import { attribute, blockAttribute, names, namedArg, stringArg } from './prisma.js';

/** `TaskRun` → `taskRun`: Prisma Client's property for a model. */
function accessorOf(model: string): string {
  return model.charAt(0).toLowerCase() + model.slice(1);
}

function tableKeyOf(model: PrismaModel): string {
  const name = stringArg(blockAttribute(model, 'map')?.args[0]) ?? model.name;
  const schema = stringArg(blockAttribute(model, 'schema')?.args[0]);
  return formatTableName(schema ? { schema, name } : { name });
}

function columnOf(model: PrismaModel, field: string): string | undefined {
  const found = model.fields.find((f) => f.name === field);
  return found ? (stringArg(attribute(found.attributes, 'map')?.args[0]) ?? found.name) : undefined;
}

function ormNames(files: ReadonlyArray<{ file: PrismaSchemaFile }>): OrmNames {
  const models = new Map<string, PrismaModel>();
  for (const { file } of files) for (const model of file.models) models.set(model.name, model);
  const tables = new Map<string, OrmTableNames>();
  for (const model of models.values()) {
    const fields = new Map<string, string>();
    const relations: Array<OrmTableNames['relations'][number]> = [];
    for (const field of model.fields) {
      const relation = attribute(field.attributes, 'relation');
      const parent = models.get(field.type);
      if (!parent) {
        fields.set(columnOf(model, field.name) ?? field.name, field.name);
        continue;
      }
      const own = relation ? names(namedArg(relation.args, 'fields')) : [];
      if (own.length === 0) continue;
      const columns = own.map((f) => columnOf(model, f));
      if (columns.some((c) => c === undefined)) continue;
      relations.push({
        columns: columns as string[],
        field: field.name,
        parent: tableKeyOf(parent),
        // Every field of the parent typed as this model: with two relations between the same models, a
        // query through either may follow this key (reading both as "used" only keeps findings).
        backFields: parent.fields.filter((f) => f.type === model.name).map((f) => f.name),
      });
    }
    tables.set(tableKeyOf(model), { accessor: accessorOf(model.name), fields, relations });
  }
  return { tool: 'prisma', tables };
}

/**
 * Gives each schema Prisma writes the names of the Prisma folder that declares most of its tables (at
 * least half); any other schema keeps none, and a rule asking about its code then cannot know.
 */
export async function attachPrismaNames(env: InputEnv, schemas: Schema[]): Promise<void> {
  const folders = [...deployedPrismaFolders(env).values()].map(ormNames);
  if (folders.length === 0) return;
  for (const schema of schemas) {
    // Only a schema Prisma writes: tables another tool also maps may be read through that tool unseen.
    if (schema.generatedBy !== 'prisma' && schema.declaredBy !== 'prisma') continue;
    let best: OrmNames | undefined;
    let bestCount = 0;
    for (const names of folders) {
      const count = schema.tables.filter((table) => names.tables.has(formatTableName(table.name))).length;
      if (count > bestCount) [best, bestCount] = [names, count];
    }
    if (best && bestCount * 2 >= schema.tables.length) schema.orm = best;
  }
  if (!schemas.some((schema) => schema.orm)) return;
  // The code is read only here, for a schema Prisma Client names: a run of SQL alone never parses it.
  const code = await env.input('code');
  for (const schema of schemas) if (schema.orm) schema.keyUse = (foreignKey) => keyUse(code, schema, foreignKey);
}
