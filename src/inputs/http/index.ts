/**
 * The `http` input: every service and endpoint archlint knows, whatever it was read from. API
 * rules require this (not `openapi`), so they run unchanged on descriptions and on code.
 */
import type { HttpModel } from '../../model/http.js';
import type { InputEnv } from '../registry.js';

export async function buildHttpModel(env: InputEnv): Promise<HttpModel> {
  const spec = await env.input('openapi');
  const services = [...spec.http.services];
  const endpoints = [...spec.http.endpoints];
  // Endpoints found in code (the TypeScript route extractors) are merged here, e.g.
  //   const routes = await env.input('routes'); services.push(...routes.services); endpoints.push(...routes.endpoints);
  return { services, endpoints };
}
