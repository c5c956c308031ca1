/**
 * The generic detector for text files that are not TS/JS: a secret-like name given a literal value
 * that looks random, in the shapes config files write it —
 *   .env / shell / Dockerfile   `export API_KEY=…`, `ENV API_KEY=…`
 *   YAML / compose              `password: …`, `- POSTGRES_PASSWORD=…`
 *   JSON                        `"client_secret": "…"`
 *   TOML / INI / properties     `api_key = "…"`, `spring.datasource.password=…`
 *   XML                         `<password>…</password>`
 *   SQL                         `CREATE USER app PASSWORD '…'`, `IDENTIFIED BY '…'`, `SET app.jwt_secret = '…'`
 *   command lines               `redis-server --requirepass …`, `--api-token …` (compose `command:`, scripts)
 *   shell defaults              `${JWT_SECRET:-…}`: a fallback, like `process.env.X ?? '…'` in code
 * Only lines holding a secret-ish word are looked at, so most lines cost one regex step.
 */
import type { SecretHit } from './hits.js';
import { nameValues, shellDefaults, type LineValue } from './line-scan.js';
import { isSecretName, valueSpellsName } from './names.js';
import { looksLikeSecret } from './values.js';

/** Lines worth a closer look contain one of these. */
const KEYWORD = /pass|pwd|secret|token|key|credential|authorization|bearer|identified|masterauth/gi;

/** `--requirepass value`, `--password "value"`, `"--requirepass", "value"`: a flag and its value on a command line. */
const COMMAND_FLAG =
  /(?<![\w-])--?(?<name>[A-Za-z][\w-]{0,60})(?:[ \t]+|["'][ \t]*,[ \t]*)(?:"(?<dq>[^"\r\n]*)"|'(?<sq>[^'\r\n]*)'|(?<bare>[^\s"'`;&|()<>\\]+))/dg;
/** Server flags whose value is a password without saying so in their name (Redis). */
const PASSWORD_FLAGS = new Set(['requirepass', 'masterauth']);

/** `<password>value</password>` */
const XML_ELEMENT = /<(?<name>[A-Za-z_][\w.-]{0,80})>(?<bare>[^<\s]{1,4096})<\/\k<name>>/dg;

/** SQL: `PASSWORD 'value'`, `IDENTIFIED BY 'value'` (CREATE/ALTER USER and ROLE). */
const SQL_PASSWORD = /\b(?<name>PASSWORD|IDENTIFIED\s+BY)\s+(?:'(?<sq>[^'\r\n]*)'|"(?<dq>[^"\r\n]*)")/dgi;

/**
 * Source files of languages archlint does not parse (Go, Python, Vue and Svelte scripts, …): an unquoted
 * value there is an expression (`cfg.AuthToken`, `!isSecret.value`), never a literal.
 */
const SOURCE_FILE =
  /\.(?:go|py|rb|php|java|kt|kts|scala|cs|razor|cshtml|vbhtml|fs|vb|groovy|rs|swift|vue|svelte|astro|dart|ex|exs|lua|c|cc|cpp|h|hpp|m)$/i;

export function findAssignedSecrets(path: string, content: string): SecretHit[] {
  const hits: SecretHit[] = [];
  const isSql = /\.sql$/i.test(path);
  const isYaml = /\.ya?ml$/i.test(path);
  const quotedOnly = SOURCE_FILE.test(path);
  let lineEnd = -1;
  KEYWORD.lastIndex = 0;
  for (let keyword = KEYWORD.exec(content); keyword; keyword = KEYWORD.exec(content)) {
    if (keyword.index < lineEnd) continue;
    const lineStart = content.lastIndexOf('\n', keyword.index) + 1;
    lineEnd = content.indexOf('\n', keyword.index);
    if (lineEnd === -1) lineEnd = content.length;
    const line = content.slice(lineStart, lineEnd);
    collect(nameValues(line), lineStart, hits, 'name', quotedOnly);
    if (line.includes('</')) collect(matches(line, XML_ELEMENT), lineStart, hits, 'name');
    if (line.includes('-')) {
      const flags = matches(line, COMMAND_FLAG);
      collect(
        flags.filter((flag) => !isOptionList(flag.value)),
        lineStart,
        hits,
        'flag',
      );
      collect(flags.flatMap(listedOptions), lineStart, hits, 'name');
    }
    if (isYaml && line.includes('name:')) {
      const pair = namedValueBelow(content, line, lineEnd);
      if (pair) collect([pair.value], pair.lineStart, hits, 'name');
    }
    if (line.includes('${')) collect(shellDefaults(line), lineStart, hits, 'shell-default');
    if (isSql) collect(matches(line, SQL_PASSWORD), lineStart, hits, 'sql');
    KEYWORD.lastIndex = lineEnd;
  }
  return hits;
}

/**
 * A flag's value that is a list of `key=value` options: `--secret id=NPM_TOKEN,env=NPM_TOKEN`,
 * `--mount type=secret,id=npmrc`, `--log-opt max-size=10m`. The flag names a feature, each key names
 * the option's value (BuildKit's `id=` is the name a secret is mounted under, not the secret).
 */
const OPTION_LIST = /^[A-Za-z][\w.-]*=[^,]*(?:,[A-Za-z][\w.-]*=[^,]*)*$/;
function isOptionList(value: string): boolean {
  return OPTION_LIST.test(value);
}

/** The options of a flag's `key=value` list, each judged under its own key. */
function listedOptions(flag: LineValue): LineValue[] {
  if (!isOptionList(flag.value)) return [];
  const options: LineValue[] = [];
  let at = 0;
  for (const option of flag.value.split(',')) {
    const equals = option.indexOf('=');
    options.push({
      name: option.slice(0, equals),
      group: 'bare',
      value: option.slice(equals + 1),
      start: flag.start + at + equals + 1,
    });
    at += option.length + 1;
  }
  return options;
}

/** `- name: APP_SECRET` (a Kubernetes or template env list's entry: the variable's name on its own line). */
const ENV_ENTRY_NAME = /^[ \t]*(?:-[ \t]+)?name:[ \t]*["']?(?<name>[A-Za-z_][\w.-]{0,80})["']?[ \t]*(?:#.*)?$/;
/** `  value: …` right below it, the entry's value. */
const ENV_ENTRY_VALUE =
  /^(?<lead>[ \t]*value:[ \t]*)(?:"(?<dq>[^"]*)"|'(?<sq>[^']*)'|(?<bare>[^\s"'#][^\s#]*))[ \t]*(?:#.*)?$/;

/**
 * An entry of a Kubernetes-style env list, whose name and value are on two lines (`- name: SECRET_KEY_BASE` then
 * `  value: …`): the value judged under the name, as `SECRET_KEY_BASE: …` would be.
 */
function namedValueBelow(
  content: string,
  line: string,
  lineEnd: number,
): { value: LineValue; lineStart: number } | undefined {
  const name = ENV_ENTRY_NAME.exec(line)?.groups?.name;
  if (name === undefined || lineEnd >= content.length) return undefined;
  const nextStart = lineEnd + 1;
  let nextEnd = content.indexOf('\n', nextStart);
  if (nextEnd === -1) nextEnd = content.length;
  const next = content.slice(nextStart, nextEnd).replace(/\r$/, '');
  const groups = ENV_ENTRY_VALUE.exec(next)?.groups;
  if (!groups) return undefined;
  const group = groups.dq !== undefined ? 'dq' : groups.sq !== undefined ? 'sq' : 'bare';
  const value = groups[group] ?? '';
  const start = groups.lead!.length + (group === 'bare' ? 0 : 1);
  return { value: { name, group, value, start }, lineStart: nextStart };
}

/** What the pattern's `name` group is: a key, a command-line flag, a shell variable with a default, or SQL's PASSWORD. */
type Shape = 'name' | 'flag' | 'shell-default' | 'sql';

/**
 * The values a pattern's matches give: its `name` group, and the value in `dq`, `sq` or `bare`.
 * (These patterns cannot backtrack far: a quoted value ends at its quote, an element at the next
 * `<`, a flag's bare value takes what it finds. `name: value` and `${NAME:-value}` could, and are
 * scanned by hand in line-scan.ts.)
 */
function matches(line: string, pattern: RegExp): LineValue[] {
  const found: LineValue[] = [];
  pattern.lastIndex = 0;
  for (const match of line.matchAll(pattern)) {
    const groups = match.groups ?? {};
    const group = groups.dq !== undefined ? 'dq' : groups.sq !== undefined ? 'sq' : 'bare';
    const value = groups[group] ?? '';
    // The `d` flag gives each group's own offsets: the finding is the value, not the line.
    found.push({ name: groups.name ?? '', group, value, start: match.indices?.groups?.[group]?.[0] ?? match.index });
  }
  return found;
}

/**
 * A value that is itself settings text, `name=value` lines in one string (`"credentials": "dns_username=username\\n
 * dns_password=password"`: a plugin's credentials file shown to users as a template): the secret, if any, is one of its
 * values, judged under its own name; the text as a whole is no key. (An `=` with nothing after it is base64 padding.)
 */
const SETTINGS_TEXT = /^[A-Za-z_][\w.-]{0,80}=(?!=|$)/;

function collect(values: LineValue[], lineStart: number, hits: SecretHit[], shape: Shape, quotedOnly = false): void {
  for (const { name, group, value, start: offset } of values) {
    if (quotedOnly && group === 'bare') continue;
    if (shape === 'name' && group !== 'bare' && SETTINGS_TEXT.test(value)) {
      // Escaped line breaks become blanks of the same length, so offsets stay those of the file.
      collect(nameValues(value.replace(/\\[nrt]/g, '  ')), lineStart + offset, hits, 'name');
      continue;
    }
    const named = shape === 'sql' || isSecretName(name) || (shape === 'flag' && PASSWORD_FLAGS.has(name.toLowerCase()));
    if (!named || valueSpellsName(name, value) || !looksLikeSecret(value, 'named')) continue;
    const start = lineStart + offset;
    const end = start + value.length;
    if (shape === 'shell-default')
      hits.push({ start, end, value, kind: 'fallback', label: `\${${name}}`, sure: false });
    else hits.push({ start, end, value, kind: 'assignment', label: LABEL[shape](name), sure: false });
  }
}

const LABEL: Record<Exclude<Shape, 'shell-default'>, (name: string) => string> = {
  name: (name) => name,
  flag: (name) => `the command-line flag --${name}`,
  sql: () => 'a SQL PASSWORD clause',
};
