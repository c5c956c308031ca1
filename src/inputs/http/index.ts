/**
 * The `http` input: every service and endpoint archlint knows, whatever it was read from. API
 * rules require this (not `openapi`), so they run unchanged on descriptions and on code.
 */
import { delegatedOperationRoles, publishedSurfaceRoles } from '../../model/endpoint-roles.js';
import type { HttpModel } from '../../model/http.js';
import type { InputEnv } from '../env.js';

export async function buildHttpModel(env: InputEnv): Promise<HttpModel> {
  const spec = await env.input('openapi');
  const services = [...spec.http.services];
  // Services and endpoints declared in TS/JS code (Express, Fastify, NestJS, Hono, Koa, Next.js): same model, same rules.
  const code = await env.input('routes');
  services.push(...code.services);
  // What only descriptions and code together show refines roles, on copies (each input's model stays what it
  // alone says): a described operation under a catch-all the code hands whole to a package is that package's
  // protocol; which routes a service's description publishes.
  const endpoints = delegatedOperationRoles(spec.http.endpoints, code.endpoints, services);
  endpoints.push(...publishedSurfaceRoles(spec.http.endpoints, code.endpoints, services));
  return { services, endpoints };
}
