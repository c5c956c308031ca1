/**
 * A handler its author named as a probe: `app.get('/', handleHealthCheck)`, `healthCheck(c)`, `async readiness()`. The
 * name says what the route is for whatever its path is called (a load balancer's check on `GET /`), as a path
 * `/health` does. Read from the function's own name (a declaration, a method, or the `const` an arrow function is
 * assigned to), after a verb (`handle`, `get`, `check`) and before a role (`Handler`, `Route`, `Endpoint`) are set
 * aside; only whole probe words count (`healthRecords` is a resource, not a probe).
 */
import type { ts } from 'ts-morph';
import { loadTypeScript } from '../code/ts-morph.js';

const typescript = loadTypeScript();

const LIVENESS = new Set([
  'health',
  'healthcheck',
  'healthz',
  'liveness',
  'livenesscheck',
  'alive',
  'isalive',
  'heartbeat',
]);
const READINESS = new Set(['ready', 'readiness', 'readinesscheck', 'readycheck', 'isready']);

/** The probe a handler's name declares, or undefined. */
export function probeNamed(fn: ts.FunctionLikeDeclaration): 'liveness' | 'readiness' | undefined {
  const name = nameOf(fn);
  if (name === undefined) return undefined;
  const core = name
    .toLowerCase()
    .replace(/[_-]/g, '')
    .replace(/^(handle|get|check|do|on|serve)/, '')
    .replace(/(handler|route|endpoint|controller)$/, '');
  if (LIVENESS.has(core)) return 'liveness';
  if (READINESS.has(core)) return 'readiness';
  return undefined;
}

function nameOf(fn: ts.FunctionLikeDeclaration): string | undefined {
  if (fn.name && (typescript.isIdentifier(fn.name) || typescript.isStringLiteralLike(fn.name))) return fn.name.text;
  let parent: ts.Node = fn.parent;
  while (typescript.isParenthesizedExpression(parent) || typescript.isAsExpression(parent)) parent = parent.parent;
  if (
    (typescript.isVariableDeclaration(parent) || typescript.isPropertyAssignment(parent)) &&
    typescript.isIdentifier(parent.name)
  )
    return parent.name.text;
  return undefined;
}
