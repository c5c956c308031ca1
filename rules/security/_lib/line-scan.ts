/**
 * The two value shapes of the generic detector whose regular expressions backtracked
 * quadratically on one long line (issue 23: `key:` repeated and a `(` at the end took 391 s for a
 * 1 MB line): `name: value` and `${NAME:-value}`. Their bare value is a run of characters up to a
 * stop character, and it counts only when that stop may end it (`key:abc(` is a call, not a
 * value). A regex tried that run again from every name in it, and backtracked through all of it
 * each time; here a run is measured once and every name whose value starts inside it shares the
 * result, so one line costs time in proportion to its length.
 *
 * A quoted value needs no such care: its closing quote is the next quote of the same kind, so the
 * spans between opening and closing quotes never overlap, and at most one opening quote per kind
 * looks to the end of the line in vain.
 */

/** Which form the value had. */
export type ValueGroup = 'dq' | 'sq' | 'bare';

/** A name given a literal value, with the value's offset in the line. */
export interface LineValue {
  name: string;
  group: ValueGroup;
  value: string;
  start: number;
}

/**
 * `name <op>` before a value, as config files write it: `API_KEY=`, `password: `, `"secret": `,
 * `api_key = `, `token => `, `x := `; `Bearer`/`Basic`/`Token` schemes are skipped over. A name is
 * at most 81 characters, so trying this at every position of a line costs a bounded step each.
 * Not inside `${…}`: there the name is a shell variable (its default is SHELL_NAME's business).
 */
const NAME_OPERATOR =
  /(?<![A-Za-z0-9_$\\]|\$\{)(?<name>[A-Za-z_][A-Za-z0-9_.-]{0,80})["']?[ \t]*(?<op>:=|=>|=|:)[ \t]*(?<scheme>(?:Bearer|Basic|Token)[ \t]+)?/dg;

/** Characters a bare `name: value` stops at (whitespace, quotes, separators, brackets). */
const NAME_VALUE_STOPS = `"',;#&<>(){}[]`;
/** Of those, the ones that may follow a bare value: not `(`, `{`, `[` (a call or a literal opens there). */
const NAME_VALUE_ENDS = `"',;#&<>)}]`;

/** Every `name: value` on one line, left to right, each scan resuming after the value it found. */
export function nameValues(line: string): LineValue[] {
  const found: LineValue[] = [];
  const bareRun = runMeter(line, NAME_VALUE_STOPS);
  const valueAt = (at: number) => quotedAt(line, at, '') ?? bareAt(line, at, bareRun, NAME_VALUE_ENDS, true);
  NAME_OPERATOR.lastIndex = 0;
  for (let match = NAME_OPERATOR.exec(line); match; match = NAME_OPERATOR.exec(line)) {
    const groups = match.indices!.groups!;
    // Where the value may start, most likely first: after the scheme word; at the scheme word itself
    // (`token: Bearer`); and after `:` of a `:=` whose `=` begins the value (`pass:=x`).
    let value = valueAt(match.index + match[0].length);
    if (!value && groups.scheme) value = valueAt(groups.scheme[0]);
    if (!value && match.groups!.op === ':=') value = valueAt(groups.op![0] + 1);
    if (!value) {
      NAME_OPERATOR.lastIndex = match.index + 1;
      continue;
    }
    found.push({ name: match.groups!.name!, ...value.value });
    NAME_OPERATOR.lastIndex = value.next;
  }
  return found;
}

/** `${NAME:-`, `${NAME-`, `${NAME:=`: a shell variable and the operator giving it a default. */
const SHELL_NAME = /\$\{([A-Za-z_][A-Za-z0-9_]{0,80}):?[-=]/g;
/** A bare default stops at `}`, whitespace or a quote, and counts only when `}` closes it. */
const SHELL_VALUE_STOPS = `}"'`;

/** Every `${NAME:-value}` on one line: the value the shell uses when NAME is unset. */
export function shellDefaults(line: string): LineValue[] {
  const found: LineValue[] = [];
  const bareRun = runMeter(line, SHELL_VALUE_STOPS);
  SHELL_NAME.lastIndex = 0;
  for (let match = SHELL_NAME.exec(line); match; match = SHELL_NAME.exec(line)) {
    const at = match.index + match[0].length;
    const value = quotedAt(line, at, '}') ?? bareAt(line, at, bareRun, '}', false);
    if (!value || line[value.next] !== '}') {
      SHELL_NAME.lastIndex = match.index + 1;
      continue;
    }
    found.push({ name: match[1]!, ...value.value });
    SHELL_NAME.lastIndex = value.next + 1;
  }
  return found;
}

type Found = { value: Omit<LineValue, 'name'>; next: number };

/** `"…"` or `'…'` starting at `at`, closed on the same line without crossing `\r` or any of `notInside`. */
function quotedAt(line: string, at: number, notInside: string): Found | undefined {
  const quote = line[at];
  if (quote !== '"' && quote !== "'") return undefined;
  const close = line.indexOf(quote, at + 1);
  if (close === -1) return undefined;
  const value = line.slice(at + 1, close);
  if (value.includes('\r') || [...notInside].some((ch) => value.includes(ch))) return undefined;
  return { value: { group: quote === '"' ? 'dq' : 'sq', value, start: at + 1 }, next: close + 1 };
}

/**
 * A bare value from `at`: the whole run up to the next stop, valid when it is not empty and the
 * stop is one of `ends` (or, when `endOfLine` allows it, the line ends there). A shorter value is
 * never an answer: it would be followed by a character of the run, which is no stop.
 */
function bareAt(
  line: string,
  at: number,
  bareRun: (at: number) => number,
  ends: string,
  endOfLine: boolean,
): Found | undefined {
  const end = bareRun(at);
  if (end === at) return undefined;
  const stop = line[end];
  if (stop === undefined ? !endOfLine : !(ends.includes(stop) || isSpace(stop))) return undefined;
  return { value: { group: 'bare', value: line.slice(at, end), start: at }, next: end };
}

/**
 * Measures runs of characters that are neither whitespace nor one of `stops`. Scans move left to
 * right, so a position inside the run measured last ends where that run ends: each character is
 * read once, whatever the number of values that start in its run.
 */
function runMeter(line: string, stops: string): (at: number) => number {
  let runStart = 0;
  let runEnd = 0;
  const inRun = (ch: string) => !isSpace(ch) && !stops.includes(ch);
  return (at) => {
    if (at >= runStart && at < runEnd) return runEnd;
    let end = at;
    // Reaching the run measured last from before it (a value tried again from an earlier start): it goes on to that run's end.
    while (end < line.length && inRun(line[end]!)) {
      if (end === runStart && runEnd > runStart) {
        end = runEnd;
        break;
      }
      end++;
    }
    runStart = at;
    runEnd = end;
    return end;
  };
}

const SPACE = /\s/;
function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || (ch > '~' || ch < ' ' ? SPACE.test(ch) : false);
}
