/**
 * The generic detector for text files that are not TS/JS: a secret-like name given a literal value
 * that looks random, in the shapes config files write it —
 *   .env / shell / Dockerfile   `export API_KEY=…`, `ENV API_KEY=…`
 *   YAML / compose              `password: …`, `- POSTGRES_PASSWORD=…`
 *   JSON                        `"client_secret": "…"`
 *   TOML / INI / properties     `api_key = "…"`, `spring.datasource.password=…`
 *   XML                         `<password>…</password>`
 *   SQL                         `CREATE USER app PASSWORD '…'`, `IDENTIFIED BY '…'`, `SET app.jwt_secret = '…'`
 * Only lines holding a secret-ish word are looked at, so most lines cost one regex step.
 */
import type { SecretHit } from './hits.js';
import { isSecretName } from './names.js';
import { looksLikeSecret } from './values.js';

/** Lines worth a closer look contain one of these. */
const KEYWORD = /pass|pwd|secret|token|key|credential|authorization|bearer|identified/gi;

/** `name <op> value` with the value quoted or bare; `Bearer`/`Basic`/`Token` schemes are skipped over. */
const ASSIGNMENT =
  /(?<![A-Za-z0-9_$\\])(?<name>[A-Za-z_][A-Za-z0-9_.-]{0,80})["']?[ \t]*(?::=|=>|=|:)[ \t]*(?:(?:Bearer|Basic|Token)[ \t]+)?(?:"(?<dq>[^"\r\n]*)"|'(?<sq>[^'\r\n]*)'|(?<bare>[^\s"',;#&<>(){}[\]]+)(?=[\s"',;#&<>)}\]]|$))/dg;

/** `<password>value</password>` */
const XML_ELEMENT = /<(?<name>[A-Za-z_][\w.-]{0,80})>(?<bare>[^<\s]{1,4096})<\/\k<name>>/dg;

/** SQL: `PASSWORD 'value'`, `IDENTIFIED BY 'value'` (CREATE/ALTER USER and ROLE). */
const SQL_PASSWORD = /\b(?<name>PASSWORD|IDENTIFIED\s+BY)\s+(?:'(?<sq>[^'\r\n]*)'|"(?<dq>[^"\r\n]*)")/dgi;

export function findAssignedSecrets(path: string, content: string): SecretHit[] {
  const hits: SecretHit[] = [];
  const isSql = /\.sql$/i.test(path);
  let lineEnd = -1;
  KEYWORD.lastIndex = 0;
  for (let keyword = KEYWORD.exec(content); keyword; keyword = KEYWORD.exec(content)) {
    if (keyword.index < lineEnd) continue;
    const lineStart = content.lastIndexOf('\n', keyword.index) + 1;
    lineEnd = content.indexOf('\n', keyword.index);
    if (lineEnd === -1) lineEnd = content.length;
    const line = content.slice(lineStart, lineEnd);
    collect(line, lineStart, ASSIGNMENT, hits, false);
    if (line.includes('</')) collect(line, lineStart, XML_ELEMENT, hits, false);
    if (isSql) collect(line, lineStart, SQL_PASSWORD, hits, true);
    KEYWORD.lastIndex = lineEnd;
  }
  return hits;
}

function collect(line: string, lineStart: number, pattern: RegExp, hits: SecretHit[], sql: boolean): void {
  pattern.lastIndex = 0;
  for (const match of line.matchAll(pattern)) {
    const groups = match.groups ?? {};
    const name = groups.name ?? '';
    const group = groups.dq !== undefined ? 'dq' : groups.sq !== undefined ? 'sq' : 'bare';
    const value = groups[group] ?? '';
    if (!(sql || isSecretName(name)) || !looksLikeSecret(value, 'named')) continue;
    // The `d` flag gives each group's own offsets: the finding is the value, not the line.
    const start = lineStart + (match.indices?.groups?.[group]?.[0] ?? match.index);
    hits.push({ start, end: start + value.length, value, kind: 'assignment', label: sql ? 'a SQL PASSWORD clause' : name });
  }
}
