/**
 * Schemas declared in files other than SQL migrations — Drizzle tables in TypeScript, Prisma
 * models, TypeORM entities — each folded like a migration history so every db/* rule judges them as it judges SQL.
 * Migrations are authoritative: a table that the run's SQL migrations for the same engine create (in
 * any package) is judged there only; what the schema files add is the tables no migration creates (`db push`).
 */
import type { Schema } from '../../../model/schema.js';
import type { InputEnv } from '../../env.js';
import { drizzleSchemas } from './drizzle.js';
import { prismaSchemas } from './prisma-schemas.js';
import { typeormSchemas } from './typeorm.js';

export async function schemaFileSchemas(env: InputEnv, migrationSchemas: readonly Schema[]): Promise<Schema[]> {
  return [...prismaSchemas(env, migrationSchemas), ...(await drizzleSchemas(env, migrationSchemas)), ...(await typeormSchemas(env, migrationSchemas))];
}
