/** Builds the `routes` model of a mini-repo written to a temporary folder, for the routes tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lint } from '../src/engine/run.js';
import type { RoutesModel } from '../src/model/code-http.js';
import { defineRule } from '../src/rule-api.js';
import { writeTree } from './harness/tree.js';

const made: string[] = [];

export function cleanTrees(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'archlint-routes-'));
  made.push(dir);
  writeTree(dir, files);
  return dir;
}

/** The routes model of a folder (through the engine, as a rule sees it). */
export async function routesModel(dir: string): Promise<RoutesModel> {
  let model: RoutesModel | undefined;
  const capture = defineRule({
    meta: {
      id: 'test/capture-routes',
      title: 'Captures the routes model',
      severity: 'note',
      requires: ['routes'],
      tags: [],
      why: '-',
      fix: '-',
      examples: { bad: [], good: [] },
      messages: { none: '-' },
    },
    check(ctx) {
      model = ctx.routes;
    },
  });
  const { result } = await lint({ cwd: dir, paths: ['.'], loaded: { config: {}, baseDir: dir }, rules: [capture] });
  const problems = result.findings.filter((f) => f.ruleId === 'core/parse-error' || f.ruleId === 'core/internal-error');
  if (problems.length > 0)
    throw new Error(problems.map((f) => `${f.file}:${f.line} ${f.ruleId} ${f.message}`).join('\n'));
  return model!;
}

/** `METHOD path  file:line  service [low]`, sorted: the shape the tests compare. */
export async function routeList(files: Record<string, string>): Promise<string[]> {
  const dir = tree(files);
  const model = await routesModel(dir);
  const lineOf = (file: string, offset: number) => files[file]!.slice(0, offset).split('\n').length;
  return model.endpoints
    .map((e) => {
      const method = e.allMethods ? 'ALL' : e.method.toUpperCase();
      const line = lineOf(e.origin.file, e.origin.range?.start ?? 0);
      return `${method} ${e.path} ${e.origin.file}:${line} ${e.serviceId}${e.confidence === 'low' ? ' low' : ''}`;
    })
    .sort();
}

/** `METHOD path file:line service [low] role auth`, sorted: routes with their role and authentication. */
export async function endpointList(files: Record<string, string>): Promise<string[]> {
  const model = await routesModel(tree(files));
  const lineOf = (file: string, offset: number) => files[file]!.slice(0, offset).split('\n').length;
  return model.endpoints
    .map((e) => {
      const method = e.allMethods ? 'ALL' : e.method.toUpperCase();
      const auth = e.auth
        ? e.auth.guards.length > 0
          ? `auth=${e.auth.guards.join('+')}`
          : e.auth.optOut
            ? `public=${e.auth.optOut}`
            : 'auth=none'
        : 'auth=?';
      return `${method} ${e.path} ${e.origin.file}:${lineOf(e.origin.file, e.origin.range?.start ?? 0)} ${e.serviceId}${e.confidence === 'low' ? ' low' : ''} ${e.role} ${auth}`;
    })
    .sort();
}
