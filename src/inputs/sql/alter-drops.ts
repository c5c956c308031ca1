/**
 * `ALTER TABLE t DROP …` in the forms node-sql-parser's grammars reject: MySQL 8's
 * `DROP CONSTRAINT \`name\`` and `DROP CHECK \`name\`` with a quoted name, MariaDB's
 * `DROP CONSTRAINT name` and `DROP CHECK name` at all, and MariaDB's `IF EXISTS` on each drop.
 * Read by hand when every action of the statement is such a drop (of a constraint, a check, a
 * foreign key, an index or key, the primary key); any other statement stays a parse error.
 * A drop that is not applied leaves a dead key in the folded state, so rules would judge it.
 */
import type { SchemaEvent, TableName } from '../../model/schema.js';
import { IDENT, LEADING_COMMENTS, unquote } from './drop-index.js';
import type { StatementSource } from './source.js';

const HEAD = new RegExp(String.raw`^ALTER\s+(?:ONLINE\s+|IGNORE\s+)*TABLE\s+(${IDENT})(?:\s*\.\s*(${IDENT}))?\s+`, 'i');
const DROP = new RegExp(
  String.raw`^DROP\s+(?:(PRIMARY\s+KEY)|(CONSTRAINT|CHECK|FOREIGN\s+KEY|INDEX|KEY)\s+(IF\s+EXISTS\s+)?(${IDENT}))\s*`,
  'i',
);

export function alterDropsFallback(source: StatementSource): SchemaEvent[] | undefined {
  const text = source.text
    .replace(LEADING_COMMENTS, '')
    .replace(/(?:\s|--[^\n]*)+$/, '')
    .replace(/;$/, '');
  const head = HEAD.exec(text);
  if (!head) return undefined;
  const [, first, second] = head;
  const table: TableName =
    second !== undefined ? { schema: unquote(first!), name: unquote(second) } : { name: unquote(first!) };
  const origin = source.origin();
  const events: SchemaEvent[] = [];
  let rest = text.slice(head[0].length);
  for (;;) {
    const drop = DROP.exec(rest);
    if (!drop) return undefined;
    const [whole, primary, what, ifExists, quoted] = drop;
    const name = quoted === undefined ? undefined : unquote(quoted);
    const kind = what?.toUpperCase().replace(/\s+/g, ' ');
    if (primary) events.push({ kind: 'drop-constraint', table, constraint: 'primary-key', origin });
    else if (kind === 'INDEX' || kind === 'KEY')
      events.push({ kind: 'drop-index', name: name!, table, ifExists: ifExists !== undefined, origin });
    // A check changes nothing archlint models; a constraint is a foreign key or a unique key (the fold knows which).
    else if (kind !== 'CHECK') events.push({ kind: 'drop-constraint', table, name: name!, origin });
    rest = rest.slice(whole.length);
    if (rest === '') return events;
    if (!rest.startsWith(',')) return undefined;
    rest = rest.slice(1).trimStart();
  }
}
