/**
 * Values their authors declare are not secrets, in a comment next to them: a trailing comment on
 * the value's line (`secret: 'whsec_…', // dummy secret`) or the comment heading its block
 * (`// This is not actually a secret key, it's just a string that we XOR with …`,
 * `# QStash local-dev (User 1)` above the local dev server's keys).
 *
 * A declaration is the author's word, not proof: the rule lets it drop a guess anywhere, and a
 * provider-format token only in tests and samples, where made-up keys in real formats are
 * written on purpose. A live key with "dummy" next to it in production code is still reported.
 */
import type { TextFile } from '../../../src/rule-api.js';
import { headingComment } from './blocks.js';

/** What authors write to say a value opens nothing. */
const DECLARATION = new RegExp(
  [
    // "not a secret", "not actually a secret key", "not a real key", "not sensitive", "non-secret"
    String.raw`\bnot\s+(?:(?:actually|really|an?|real|actual|very)\s+)*(?:secret|sensitive|credential|password|key|token)s?\b`,
    String.raw`\bnon-?(?:secret|sensitive)\b`,
    // "token is randomly generated and not real", "isn't real"
    String.raw`\b(?:not|isn't|aren't)\s+real\b`,
    // "dummy", "fake", "placeholder" (not "mock": "mocked in tests" says where a real value is replaced)
    String.raw`\b(?:dummy|fake|placeholder)\b`,
    // "for tests", "for unit testing", "test only", "only used in tests"
    String.raw`\bfor\s+(?:(?:the|unit|e2e|integration)\s+)?(?:tests?|testing)\b`,
    String.raw`\btests?[- ]only\b`,
    String.raw`\bonly\s+(?:used\s+)?(?:for|in)\s+(?:the\s+)?tests?\b`,
    // "local-dev", "local development", "dev only", "development only"
    String.raw`\blocal[- ]?dev(?:elopment)?\b`,
    String.raw`\bdev(?:elopment)?[- ]only\b`,
    // "safe to commit", "public by design"
    String.raw`\bsafe\s+to\s+(?:commit|share|expose|publish)\b`,
    String.raw`\bpublic\s+by\s+design\b`,
    // "read only safe key", "public key", "client-side key", "browser key": a key its author made to ship to clients
    // (a GIPHY or Maps browser key); not "unsafe key" (the word must stand alone)
    String.raw`\b(?:safe|public|publishable|client[- ]side|browser|frontend)\s+(?:api\s+)?key\b`,
  ].join('|'),
  'i',
);

/**
 * "DO NOT USE THESE SECRETS IN PRODUCTION", "not for production use" above a manifest's or a compose
 * file's values: a preview or demo deployment's made-up settings. In code the same words often sit
 * over a fallback that production does run with when its variable is unset: there they declare nothing.
 */
const NOT_FOR_PRODUCTION = /\bdo\s+not\s+use\b[^\n]{0,40}\bin\s+production\b|\bnot\s+for\s+production\b/i;

/**
 * A comment line of a manifest or compose file that says its values are made up for a preview or a
 * demo (`# DO NOT USE THESE SECRETS IN PRODUCTION`): it speaks for the whole file, whose documents
 * may start after it.
 */
const FILE_NOT_FOR_PRODUCTION =
  /^[ \t]*(?:#|\/\/)[^\n]*\bdo\s+not\s+use\s+(?:these|this|the(?:se)?)\s+(?:secrets?|credentials?|passwords?|keys?|values?)\b[^\n]{0,30}\bin\s+production\b/im;

/** A comment that says this value is the real one (`dummies live elsewhere; this one is real`) declares nothing. */
const AFFIRMS_REAL = /\b(?:this|it|that)(?:\s+one)?\s+is\s+(?:a\s+|the\s+)?(?:real|live|production)\b/i;
const declares = (comment: string) => DECLARATION.test(comment) && !AFFIRMS_REAL.test(comment);

/**
 * A comment after code on a line: `#` and `--` (SQL) need a space before them (`a#b` is a URL
 * fragment, `--flag` an option), `//` and `/*` a space or a separator (`https://` is no comment).
 */
const TRAILING_COMMENT = /(?:^|\s)#|(?:^|[\s,;)])(?:\/\/|\/\*)|<!--/;
const SQL_TRAILING_COMMENT = /(?:^|\s)--/;
/** How many characters after a value its trailing comment may start and say its piece in. */
const TRAILING_REACH = 240;

/**
 * A comment saying the key no longer opens anything: "revoked", "this token has been rotated", "deactivated key",
 * "expired". Revoking is the remedy the rule asks for, already done; a reviewer has nothing left to act on, so the
 * rule takes this word for a provider key anywhere too (a key said to be revoked while it still works is a lie no
 * scanner can catch from the text). Past participles only: "rotate this key" asks for the remedy, it does not say it.
 */
const REVOKED = new RegExp(
  [
    String.raw`\b(?:revoked|deactivated|invalidated)\b`,
    // "rotated monthly" says the live key changes, "has been rotated" that this one is dead
    String.raw`\b(?:has|have|had|was|were|been|is|are)\s+(?:now\s+|since\s+|already\s+|long\s+)?(?:rotated|expired|disabled|deleted)\b`,
    String.raw`\bexpired\s+(?:api\s+)?(?:key|token|secret|credential)s?\b`,
    String.raw`\bno\s+longer\s+(?:valid|works?|active|in\s+use)\b`,
  ].join('|'),
  'i',
);
/** "not yet revoked", "revoke it once …", "if it is revoked": the key still works, or the comment is about the code. */
const AFFIRMS_LIVE =
  /\b(?:not|never|isn't|hasn't|wasn't)\s+(?:been\s+|yet\s+)*(?:revoked|rotated|deactivated|invalidated|disabled|expired)\b|\b(?:until|once|when|if|unless|whether)\b/i;

/** Does a comment next to the value at [start, end) say it was revoked (rotated, deactivated, expired)? */
export function isDeclaredRevoked(file: TextFile, start: number, end: number): boolean {
  return commentsAbout(file, start, end).some((comment) => REVOKED.test(comment) && !AFFIRMS_LIVE.test(comment));
}

/** The trailing comment on the value's line and the comment heading its block, those that exist. */
function commentsAbout(file: TextFile, start: number, end: number): string[] {
  const { line } = file.positionAt(start);
  const range = file.lineRange(line);
  const after = file.content.slice(Math.min(end, range.end), Math.min(range.end, end + TRAILING_REACH));
  const trailing = (/\.sql$/i.test(file.path) ? SQL_TRAILING_COMMENT : TRAILING_COMMENT).exec(after);
  const heading = headingComment(file, line);
  return [...(trailing ? [after.slice(trailing.index)] : []), ...(heading === undefined ? [] : [heading])];
}

/** Is the value at [start, end) declared not to be a secret? */
export function isDeclaredNotSecret(file: TextFile, start: number, end: number): boolean {
  const { line } = file.positionAt(start);
  const range = file.lineRange(line);
  // A trailing comment follows its value closely; looking no further keeps a long line's many values cheap.
  const after = file.content.slice(Math.min(end, range.end), Math.min(range.end, end + TRAILING_REACH));
  const trailing = (/\.sql$/i.test(file.path) ? SQL_TRAILING_COMMENT : TRAILING_COMMENT).exec(after);
  if (trailing && declares(after.slice(trailing.index))) return true;
  if (file.kind !== 'code' && FILE_NOT_FOR_PRODUCTION.test(file.content)) return true;
  const heading = headingComment(file, line);
  if (heading === undefined) return false;
  return declares(heading) || (file.kind !== 'code' && NOT_FOR_PRODUCTION.test(heading) && !AFFIRMS_REAL.test(heading));
}
