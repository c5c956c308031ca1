/**
 * The `http` input: every service and endpoint archlint knows, whatever it was read from. API
 * rules require this (not `openapi`), so they run unchanged on descriptions and on code.
 */
import type { HttpModel } from '../../model/http.js';
import type { InputEnv } from '../env.js';

export async function buildHttpModel(env: InputEnv): Promise<HttpModel> {
  const spec = await env.input('openapi');
  const services = [...spec.http.services];
  const endpoints = [...spec.http.endpoints];
  // Services and endpoints declared in TS/JS code (Express, Fastify, NestJS, Hono, Koa, Next.js): same model, same rules.
  const code = await env.input('routes');
  services.push(...code.services);
  endpoints.push(...code.endpoints);
  return { services, endpoints };
}
