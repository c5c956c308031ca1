/**
 * The packages whose middleware authenticates a request or limits request rates, by npm name: the first
 * thing the middleware classifier (middleware.ts) asks of a value imported from a package.
 */

/** Packages whose middleware, guards or calls authenticate a request. */
export const AUTH_PACKAGES = new Set([
  'passport',
  'koa-passport',
  '@nestjs/passport',
  'express-jwt',
  'express-oauth2-jwt-bearer',
  'express-openid-connect',
  'express-basic-auth',
  'jsonwebtoken',
  'jose',
  'koa-jwt',
  '@fastify/jwt',
  '@fastify/auth',
  '@fastify/basic-auth',
  '@fastify/bearer-auth',
  'hono',
  '@hono/clerk-auth',
  '@hono/auth-js',
  '@hono/firebase-auth',
  '@clerk/express',
  '@clerk/nextjs',
  '@clerk/fastify',
  'next-auth',
  '@auth/core',
  '@auth/nextjs',
  '@auth0/nextjs-auth0',
  'keycloak-connect',
  'firebase-admin',
  '@supabase/supabase-js',
  '@supabase/ssr',
  'better-auth',
  'lucia',
]);

/** Packages that limit request rates. */
export const RATE_LIMIT_PACKAGES = new Set([
  'express-rate-limit',
  'express-slow-down',
  'express-brute',
  'rate-limiter-flexible',
  '@fastify/rate-limit',
  'fastify-rate-limit',
  '@nestjs/throttler',
  'nestjs-throttler-storage-redis',
  'hono-rate-limiter',
  '@hono-rate-limiter/redis',
  'koa-ratelimit',
  'koa2-ratelimit',
  '@upstash/ratelimit',
  'limiter',
  'bottleneck',
  'express-limiter',
  'rate-limit-redis',
  // Hosted limiters called from a handler or a tRPC middleware (`ratelimit.limit(ip)`), not registered on the app.
  '@unkey/ratelimit',
  '@arcjet/node',
  '@arcjet/next',
  '@arcjet/nest',
  '@arcjet/bun',
]);

/**
 * Packages that limit the requests a service accepts (not client-side throttles of outgoing calls such as
 * `bottleneck` or `limiter`): a service whose code imports one anywhere limits rates somewhere.
 */
export const INBOUND_RATE_LIMIT_PACKAGES = new Set(
  [...RATE_LIMIT_PACKAGES].filter((p) => p !== 'limiter' && p !== 'bottleneck'),
);

/**
 * Auth packages whose Next.js middleware wrapper protects nothing by itself: Clerk's `clerkMiddleware()` makes the
 * session available and every route public unless its callback calls `auth.protect()` (Clerk's documented default).
 */
export const CALLBACK_DECIDES_PACKAGES = new Set(['@clerk/nextjs']);
