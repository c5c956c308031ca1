/**
 * Which descriptions the rest of the project names. A description a build script, a docs site, an SDK generator, a
 * server or a workflow uses is named somewhere by its file name (`openapi-1.2.0 POST /customers`, `spec.yaml` in a
 * script, `docs/openapi.json` in a workflow). When the project keeps such a description and another one that no file
 * names at all (nor a docs site publishes by itself), that other one is left aside: a draft, a local dev copy, an older snapshot nothing writes any more, or
 * the specification of an API the project calls as a client (Service.unreferenced).
 *
 * Conservative on purpose: a name is looked for as plain text in every other text file of the lint roots, so a
 * generic name (`openapi`, `v3`, `spec`) counts as named almost anywhere; a project whose descriptions nothing names
 * (one hand-written `openapi.yaml`) has no used description to compare with, and nothing is marked.
 */
import type { TextFile } from '../../model/files.js';

/** `docs/openapi-local.yml` → `openapi-local`: the name a reference uses, with or without its extension. */
function stemOf(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return base.replace(/\.(ya?ml|json)$/i, '');
}

/**
 * A docs site that publishes every description below its folder without naming it: Mintlify reads the OpenAPI files of
 * its repository folder by itself (`mint.json`, `docs.json` beside the pages).
 */
const DISCOVERING_SITE = /(^|\/)(mint|docs)\.json$/;

/**
 * The descriptions (by path) that no other text file names, when some other description is named; else none. `files`
 * is read once, in order (TextFiles.each: a whole tree's text is not kept for this).
 */
export function unreferencedDescriptions(paths: readonly string[], files: Iterable<TextFile>): Set<string> {
  if (paths.length < 2) return new Set();
  const sites: string[] = [];
  const waiting = new Map(paths.map((path) => [path, stemOf(path)]));
  for (const file of files) {
    if (waiting.size === 0) break;
    if (DISCOVERING_SITE.test(file.path)) sites.push(file.path.slice(0, file.path.lastIndexOf('/') + 1));
    for (const [path, stem] of waiting) {
      if (file.path === path) continue;
      if (file.content.includes(stem)) waiting.delete(path);
    }
  }
  // Published by a docs site that reads its folder's descriptions by itself: used, though unnamed.
  for (const path of waiting.keys()) if (sites.some((folder) => path.startsWith(folder))) waiting.delete(path);
  // No description is named or published: nothing to tell the used one from the others.
  if (waiting.size === paths.length) return new Set();
  return new Set(waiting.keys());
}
