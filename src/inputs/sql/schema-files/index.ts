/**
 * Schemas declared in files other than SQL migrations — Drizzle tables in TypeScript, Prisma
 * models, TypeORM entities — and migrations written as Sequelize QueryInterface calls, each folded like a migration history so every db/* rule judges them as it judges SQL.
 * Migrations are authoritative: a table that the run's SQL migrations for the same engine create (in
 * any package) is judged there only; what the schema files add is the tables no migration creates (`db push`).
 */
import type { Schema } from '../../../model/schema.js';
import type { InputEnv } from '../../env.js';
import { drizzleSchemas } from './drizzle.js';
import { prismaSchemas } from './prisma-schemas.js';
import { typeormSchemas } from './typeorm.js';
import { sequelizeSchemas } from './sequelize.js';

export async function schemaFileSchemas(env: InputEnv, migrationSchemas: readonly Schema[]): Promise<Schema[]> {
  // Sequelize migrations are migrations (QueryInterface calls instead of SQL): authoritative like SQL ones.
  const builders = await sequelizeSchemas(env);
  const migrations = [...migrationSchemas, ...builders];
  return [...builders, ...prismaSchemas(env, migrations), ...(await drizzleSchemas(env, migrations)), ...(await typeormSchemas(env, migrations))];
}
