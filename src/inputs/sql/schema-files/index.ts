/**
 * Schemas declared in files other than SQL migrations — Drizzle tables in TypeScript, Prisma
 * models, TypeORM entities — and migrations written with a builder (Sequelize's QueryInterface, knex's and Kysely's
 * schema builders), each folded like a migration history so every db/* rule judges them as it judges SQL.
 * Migrations are authoritative: a table that the run's SQL migrations for the same engine create (in
 * any package) is judged there only; what the schema files add is the tables no migration creates (`db push`).
 */
import type { Schema } from '../../../model/schema.js';
import type { InputEnv } from '../../env.js';
import { drizzleSchemas } from './drizzle.js';
import { prismaSchemas } from './prisma-schemas.js';
import { typeormSchemas } from './typeorm.js';
import { sequelizeSchemas } from './sequelize.js';
import { knexSchemas } from './knex.js';
import { kyselySchemas } from './kysely.js';

export async function schemaFileSchemas(env: InputEnv, migrationSchemas: readonly Schema[]): Promise<Schema[]> {
  // Sequelize, knex and Kysely migrations are migrations (builder calls instead of SQL): authoritative like SQL ones.
  const builders = [...(await sequelizeSchemas(env)), ...(await knexSchemas(env)), ...(await kyselySchemas(env))];
  const migrations = [...migrationSchemas, ...builders];
  return [
    ...builders,
    ...prismaSchemas(env, migrations),
    ...(await drizzleSchemas(env, migrations)),
    ...(await typeormSchemas(env, migrations)),
  ];
}
