/**
 * What the reach judgement (reach.ts) reads from the packages' manifests and the Workers' configurations: the files a
 * package's scripts run (a server's start, a command's), the commands it ships (`bin`), the modules a Worker starts.
 */
import { posix } from 'node:path';
import type { FileSet, TextFiles } from '../../model/files.js';
import type { ModuleExports } from '../../model/module-exports.js';

/** A file a package script runs: `node dist/server.js`, `tsx watch src/index.ts`, `ts-node ./src/main.ts`. */
const SCRIPT_FILE = /(?:^|\s)(?:\.\/)?((?:[\w@.-]+\/)*[\w@.-]+\.[cm]?[jt]sx?)(?=\s|$|;|&|\|)/g;
/** `main = "src/index.ts"` of a Cloudflare Worker (wrangler.toml, wrangler.json[c]). */
const WRANGLER_MAIN = /^\s*"?main"?\s*[=:]\s*"([^"]+)"/m;

/**
 * Scripts that run a long-lived process: a server's start (`start`, `dev`, `serve`, `prod` …) or a worker's
 * (`worker`, `queue`, `cron`, `scheduler`), and their variants (`start:api`, `dev-server`). Any other script
 * (`migrate`, `seed`, `pprof`, `export-docs` …) runs a command that ends, which a person runs and watches.
 */
const SERVING_SCRIPT =
  /^(?:start|dev|develop|development|serve|server|prod|production|preview|watch|worker|workers|queue|queues|jobs?|cron|crons|scheduler|daemon|app|api)(?:[:_.-].*)?$/i;
/**
 * Steps every install or build runs (`postbuild`, `postinstall`, `prepare`): unattended, in each self-hoster's
 * Docker build or CI — nobody watches them to press Ctrl-C, so they are judged as before, like a server's code.
 */
const LIFECYCLE_SCRIPT = /^(?:pre|post)?(?:install|build|prepare|prepublish|prepublishOnly|pack|publish|start|deploy)$/;

/**
 * The files a package's scripts run (`node dist/main.js` is read as its source too): a start script or a
 * worker's is a server's entry; any other script's (`"pprof": "tsx src/scripts/pprof-client.ts"`), and every
 * script of a command-line tool's package (`tool`), a command's. Scripts run by hand used to be judged as
 * servers; those that start one still are.
 */
export function scriptFiles(
  manifests: ReadonlyArray<{ path: string; content: string }>,
  resolver: ModuleExports,
  tool: (manifest: string) => boolean,
): Record<'server' | 'cli', string[]> {
  const out: Record<'server' | 'cli', string[]> = { server: [], cli: [] };
  for (const { path, content } of manifests) {
    const pkg = readManifest(content);
    if (!pkg?.scripts || typeof pkg.scripts !== 'object') continue;
    for (const [name, command] of Object.entries(pkg.scripts as Record<string, unknown>)) {
      if (typeof command !== 'string') continue;
      const kind = (SERVING_SCRIPT.test(name) || LIFECYCLE_SCRIPT.test(name)) && !tool(path) ? 'server' : 'cli';
      for (const match of command.matchAll(SCRIPT_FILE)) {
        const found = builtFrom(resolver, path, match[1]!);
        if (found) out[kind].push(found);
      }
    }
  }
  return out;
}

/** The source of a file a manifest names: itself, or the `src/` file a build writes to `dist/` (`dist/esm/index.js`). */
function builtFrom(resolver: ModuleExports, manifest: string, file: string): string | undefined {
  const candidates = [
    file.replace(/^\.\//, ''),
    file.replace(/^(?:\.\/)?(?:dist|build|out|lib)\//, 'src/'),
    file.replace(/^(?:\.\/)?(?:dist|build|out|lib)\/(?:esm|cjs|mjs|commonjs|module|src)\//, 'src/'),
    file.replace(/^(?:\.\/)?(?:dist|build|out)\//, ''),
  ];
  return candidates.map((c) => resolver.resolveModule(manifest, `./${c}`)).find((f) => f !== undefined);
}

/** Does the manifest depend on the package (dependencies, devDependencies or peerDependencies)? */
export function dependsOn(content: string, name: string): boolean {
  const pkg = readManifest(content) as Record<string, unknown> | undefined;
  return ['dependencies', 'devDependencies', 'peerDependencies'].some((key) => {
    const deps = pkg?.[key];
    return !!deps && typeof deps === 'object' && name in deps;
  });
}

function readManifest(content: string): { scripts?: unknown; bin?: unknown } | undefined {
  try {
    const pkg = JSON.parse(content) as unknown;
    return pkg && typeof pkg === 'object' ? (pkg as { scripts?: unknown; bin?: unknown }) : undefined;
  } catch {
    return undefined;
  }
}

/** The commands a manifest ships: `"bin": "cli.js"` or `"bin": { "tool": "dist/esm/index.js" }`. */
function binTargets(content: string): string[] {
  const bin = readManifest(content)?.bin;
  if (typeof bin === 'string') return [bin];
  if (!bin || typeof bin !== 'object') return [];
  return Object.values(bin as Record<string, unknown>).filter((v): v is string => typeof v === 'string');
}

/** The manifests that ship a command (`bin`). */
export function commandPackages(manifests: ReadonlyArray<{ path: string; content: string }>): string[] {
  return manifests.filter(({ content }) => binTargets(content).length > 0).map(({ path }) => path);
}

/** The source files of every package's `bin` commands. */
export function commandFiles(
  manifests: ReadonlyArray<{ path: string; content: string }>,
  resolver: ModuleExports,
): string[] {
  return manifests.flatMap(({ path, content }) =>
    binTargets(content).flatMap((target) => {
      const found = builtFrom(resolver, path, target);
      return found ? [found] : [];
    }),
  );
}

/** Cloudflare Workers' configurations (wrangler.toml, wrangler.json), with their text. */
export function wranglerFiles(fileSet: FileSet, text: TextFiles): Array<{ path: string; content: string }> {
  return fileSet.files
    .filter((f) => /^wrangler\.(?:toml|jsonc?)$/.test(posix.basename(f.path)))
    .map((f) => ({ path: f.path, content: text.get(f.path)?.content ?? '' }));
}

/** The modules Cloudflare Workers start from (`main` in wrangler.toml or wrangler.json). */
export function workerMains(
  configs: ReadonlyArray<{ path: string; content: string }>,
  resolver: ModuleExports,
): string[] {
  return configs.flatMap((f) => {
    const main = WRANGLER_MAIN.exec(f.content)?.[1];
    const found = main && resolver.resolveModule(f.path, `./${main.replace(/^\.\//, '')}`);
    return found ? [found] : [];
  });
}
