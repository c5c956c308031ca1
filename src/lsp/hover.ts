/** The hover over an archlint diagnostic: `archlint explain` for its rule, as Markdown (the SARIF help). */
import type { RuleMeta } from '../rule-api.js';
import { helpMarkdown } from '../reporters/sarif.js';

export function explanationMarkdown(meta: RuleMeta): string {
  return `**${meta.id}** — ${meta.title}\n\n${helpMarkdown(meta)}\nSilence one place with a comment: \`archlint-disable-next-line ${meta.id} -- <reason>\``;
}
