/**
 * Token formats that carry their own checksum, so a made-up token can be told from an issued one by
 * its text alone. GitHub's tokens since 2021 (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`) and npm's
 * (`npm_`) end in six base62 characters that encode the CRC32 of the thirty random characters before
 * them (GitHub's "Behind GitHub's new authentication token formats", npm's "new access token format").
 * Vendors' API descriptions and docs show tokens such as `ghu_16C7e42F292c6912E7710c838347Ae178B4a`
 * that have the shape and not the checksum: no server ever issued them.
 */

/** The labels of providers.ts formats judged here, and the shape of their tokens. */
const CHECKSUMMED: ReadonlyMap<string, RegExp> = new Map([
  ['GitHub token', /^gh[pousr]_(?<body>[A-Za-z0-9]{30})(?<sum>[A-Za-z0-9]{6})$/],
  ['npm access token', /^npm_(?<body>[A-Za-z0-9]{30})(?<sum>[A-Za-z0-9]{6})$/],
]);

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

let table: Uint32Array | undefined;

function crc32(text: string): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) crc = table[(crc ^ text.charCodeAt(i)) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function base62(value: number, width: number): string {
  let out = '';
  for (let rest = value; rest > 0; rest = Math.floor(rest / 62)) out = BASE62[rest % 62]! + out;
  return out.padStart(width, '0');
}

/** Does a token of a checksummed format fail its checksum (so it was never issued)? Undefined: the format has none. */
export function failsChecksum(label: string, token: string): boolean | undefined {
  const shape = CHECKSUMMED.get(label);
  if (!shape) return undefined;
  const match = shape.exec(token);
  if (!match?.groups) return undefined;
  return base62(crc32(match.groups.body!), 6) !== match.groups.sum;
}

/** A token of the format with a valid checksum, for tests and fixtures: `prefix` + `body` (30 characters) + checksum. */
export function withChecksum(prefix: string, body: string): string {
  return prefix + body + base62(crc32(body), 6);
}
