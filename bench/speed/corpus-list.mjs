// The multi-framework corpus of issue 22 (and the route-recall check of issue 17), kept apart so a
// script can import the list without running the benchmark.
/** The corpus: name (in repos.json) and the frameworks whose routes it holds. */
export const CORPUS = [
  ['supabase-storage', 'Fastify'],
  ['rybbit', 'Fastify'],
  ['fastify-demo', 'Fastify (autoload)'],
  ['openpanel', 'Fastify + tRPC'],
  ['papra', 'Hono'],
  ['ghostfolio', 'NestJS'],
  ['traduora', 'NestJS'],
  ['realworld-express', 'Express'],
  ['kutt', 'Express (JS)'],
  ['plunk', 'Express'],
  ['lunary', 'Koa'],
  ['umami', 'Next.js app router'],
  ['linkwarden', 'Next.js pages API'],
];
