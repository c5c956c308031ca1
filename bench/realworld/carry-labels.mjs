#!/usr/bin/env node
// Carries a label to the new place of a finding that moved: when a change makes archlint report the
// same problem at another file or line (a foreign key now judged in the migration that creates it
// rather than in the ORM entity that mirrors it), the finding of the new report whose rule and message
// equal those of exactly one labelled finding of the old report, which the new report no longer has,
// gets that label (since: the given date, reason prefixed with "moved from <old key>"). Nothing else is
// labelled: a finding with a new message is a new finding for a person to read.
//
//   node carry-labels.mjs --old DIR --new DIR --since 2026-12-07 [--only a,b] [--write]
//
// DIR holds <name>.json reports (run.mjs --reports). Without --write it only prints what it would carry.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    old: { type: 'string' },
    new: { type: 'string' },
    since: { type: 'string' },
    only: { type: 'string' },
    write: { type: 'boolean', default: false },
  },
});
if (!values.old || !values.new || !values.since) {
  console.error('usage: node carry-labels.mjs --old DIR --new DIR --since YYYY-MM-DD [--only a,b] [--write]');
  process.exit(2);
}
const keyOf = (f) => `${f.ruleId} ${f.file}:${f.line}`;
// The same table named with or without its schema (`omnivore.user(id)` in a migration, `user(id)` in an entity).
const causeOf = (f) => `${f.ruleId}\u0000${f.message.replace(/\b\w+\.(?=\w+\()/g, '')}`;
const { repos } = JSON.parse(readFileSync(join(here, 'repos.json'), 'utf8'));
const only = values.only ? new Set(values.only.split(',')) : undefined;

for (const repo of repos) {
  if (only && !only.has(repo.name)) continue;
  const labelFile = join(here, 'labels', `${repo.name}.json`);
  const oldReport = join(values.old, `${repo.name}.json`);
  const newReport = join(values.new, `${repo.name}.json`);
  if (!existsSync(labelFile) || !existsSync(oldReport) || !existsSync(newReport)) continue;
  const labels = JSON.parse(readFileSync(labelFile, 'utf8'));
  const before = JSON.parse(readFileSync(oldReport, 'utf8')).findings;
  const after = JSON.parse(readFileSync(newReport, 'utf8')).findings;
  const stillReported = new Set(after.map(keyOf));
  // Labelled findings of the old report that are gone, by cause; a cause shared by two is ambiguous.
  const gone = new Map();
  for (const f of before) {
    const label = labels.findings[keyOf(f)];
    if (!label || stillReported.has(keyOf(f))) continue;
    const cause = causeOf(f);
    gone.set(cause, gone.has(cause) ? null : { key: keyOf(f), label });
  }
  let carried = 0;
  for (const f of after) {
    if (labels.findings[keyOf(f)]) continue;
    const from = gone.get(causeOf(f));
    if (!from) continue;
    labels.findings[keyOf(f)] = {
      label: from.label.label,
      reason: `moved from ${from.key}: ${from.label.reason}`,
      since: values.since,
      ...(from.label.repeat ? { repeat: true } : {}),
    };
    gone.delete(causeOf(f));
    carried++;
    if (!values.write) console.log(`${repo.name}: ${from.key} → ${keyOf(f)} (${from.label.label})`);
  }
  if (carried > 0) console.log(`${repo.name}: ${carried} label(s) carried`);
  if (values.write && carried > 0) writeFileSync(labelFile, `${JSON.stringify(labels, null, 2)}\n`);
}
