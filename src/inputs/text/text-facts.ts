/**
 * TextFileFacts: what other files of the tree say about a text file, judged once over the whole tree (only a few
 * files are read for it, picked by name), so that a rule reading one file at a time — on a part of the tree, in a
 * worker, or from the per-file cache — knows it as well as a rule that sees every file.
 */
import { X509Certificate } from 'node:crypto';
import { namesOnlyLoopback } from '../../model/certificates.js';
import type { TextFileFacts } from '../../model/files.js';
import { envFilesReusing, isWorkflowFile, serviceContainerPasswords } from './ci-test-passwords.js';

/** node-config's defaults and per-environment files a developer runs with. */
const NODE_CONFIG_DEFAULTS = /(?:^|\/)config\/(?:default|development|local)(?:-[\w.-]+)?\.(?:json5?|ya?ml|toml)$/i;
/** node-config's mapping of settings to environment variables. */
const NODE_CONFIG_MAPPING = /(?:^|\/)config\/custom-environment-variables\.(?:json5?|ya?ml)$/i;
/** A key of the mapping (`"jwtSecret": "JWT_SECRET"`, `sessionSecret:`): every name in it, at any depth. */
const MAPPING_KEY = /["']?([A-Za-z_$][\w$-]*)["']?\s*:/g;

const KEY_FILE = /\.(?:pem|key)$/i;
const CERTIFICATE_FILE = /\.(?:pem|crt|cer|cert)$/i;
const CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]{0,16000}?-----END CERTIFICATE-----/g;

/**
 * The facts of the files of `paths` (sorted or not) that have any; `read` gives a file's text (undefined when
 * binary or unreadable).
 */
export function judgeTextFacts(
  paths: readonly string[],
  read: (path: string) => string | undefined,
): Map<string, TextFileFacts> {
  const facts = new Map<string, TextFileFacts>();
  const add = (path: string, fact: TextFileFacts) => facts.set(path, { ...facts.get(path), ...fact });
  const byFolder = new Map<string, string[]>();
  const ciPasswords = new Set(
    paths.filter(isWorkflowFile).flatMap((path) => serviceContainerPasswords(read(path) ?? '')),
  );
  for (const [path, hashes] of envFilesReusing(paths, read, ciPasswords)) add(path, { ciTestPasswordHashes: hashes });
  for (const path of paths) {
    if (
      !NODE_CONFIG_DEFAULTS.test(path) &&
      !NODE_CONFIG_MAPPING.test(path) &&
      !KEY_FILE.test(path) &&
      !CERTIFICATE_FILE.test(path)
    )
      continue;
    const folder = path.slice(0, path.lastIndexOf('/') + 1);
    const inFolder = byFolder.get(folder);
    if (inFolder) inFolder.push(path);
    else byFolder.set(folder, [path]);
  }
  for (const inFolder of byFolder.values()) {
    const settings = settingsFromEnvironment(inFolder, read);
    if (settings)
      for (const path of inFolder)
        if (NODE_CONFIG_DEFAULTS.test(path)) add(path, { settingsFromEnvironment: settings });
    const keys = inFolder.filter((path) => KEY_FILE.test(path));
    if (keys.length === 0) continue;
    for (const key of keys) {
      const certificates = inFolder
        .filter((path) => path !== key && CERTIFICATE_FILE.test(path))
        .flatMap((path) => loopbackCertificates(read(path)));
      if (certificates.length > 0) add(key, { loopbackCertificates: certificates });
    }
  }
  return facts;
}

/** The setting names of the first node-config mapping file of a folder, sorted; undefined when it has none. */
function settingsFromEnvironment(
  inFolder: readonly string[],
  read: (path: string) => string | undefined,
): string[] | undefined {
  const mapping = inFolder.filter((path) => NODE_CONFIG_MAPPING.test(path)).sort()[0];
  const content = mapping === undefined ? undefined : read(mapping);
  if (content === undefined) return undefined;
  return [...new Set([...content.matchAll(MAPPING_KEY)].map((match) => match[1]!))].sort();
}

/** The certificates of a file's text that name loopback hosts only (none when it holds no certificate node can read). */
function loopbackCertificates(content: string | undefined): string[] {
  if (!content?.includes('BEGIN CERTIFICATE')) return [];
  return (content.match(CERTIFICATE) ?? []).filter((pem) => {
    try {
      return namesOnlyLoopback(new X509Certificate(pem));
    } catch {
      // Not a certificate node can read (truncated, escaped oddly): no proof either way.
      return false;
    }
  });
}
