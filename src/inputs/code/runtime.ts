/**
 * Where a code file runs (CodeFile.runtime): on a server, in the user's browser, or once while a
 * static site is built. Judged from general signals, and `server` whenever they are unsure:
 *
 * - the file itself: a 'use client' module (React server components), a service worker script
 *   (`self.addEventListener('fetch', …)`, as Mock Service Worker generates);
 * - its package (the nearest package.json up to the lint root): a front-end package — a UI
 *   framework (React, Vue, Svelte, Solid, Preact, Angular, Lit, React Native) among its packages
 *   and no server framework, server-rendering framework or database client — or a browser
 *   extension (a manifest.json with `manifest_version` beside the package or above the file);
 * - an Astro site: its pages are rendered at build time unless the config sets `output: 'server'`,
 *   and a page says otherwise with `export const prerender = …`.
 *
 * Package manifests and site configs are read from their folders, so a batch of files judged apart
 * from the others (file-scoped rules) gets the same answer. Only folders inside the lint roots are
 * read — and, for a file named on the command line (its root is its own folder), the folders between
 * it and the current directory, whose paths already judge it (test-paths.ts pathBelowRoot): linting
 * one file of a package judges it as linting the package does.
 */
import { existsSync, realpathSync } from 'node:fs';
import { posix } from 'node:path';
import type { CodeRuntime } from '../../model/code.js';
import type { TextFile, TextFiles } from '../../model/files.js';
import { isUseClient } from './directives.js';
import { platformLimitOf, readPlatformLimits, type PlatformLimits } from './platform-limits.js';

export type { CodeRuntime } from '../../model/code.js';

/** Packages that render a user interface in a browser or on a device. */
const UI_PACKAGE = /^(react|react-dom|vue|svelte|solid-js|preact|@angular\/core|lit|react-native|expo)$/;
/**
 * Packages that make a package (also) server code: HTTP servers, server-rendering frameworks,
 * database clients and job queues. A package with any of them stays `server`.
 */
const SERVER_PACKAGE =
  /^(express|fastify|koa|hono|@hono\/node-server|@hapi\/hapi|restify|polka|sails|@nestjs\/core|next|nuxt|@remix-run\/(node|server-runtime|serve)|@react-router\/(node|serve)|@sveltejs\/kit|@tanstack\/(react|solid)-start|@builder\.io\/qwik-city|@solidjs\/start|astro|electron|@prisma\/client|prisma|drizzle-orm|typeorm|sequelize|mongoose|mongodb|knex|kysely|pg|mysql2?|better-sqlite3|sqlite3|ioredis|redis|bullmq|bull|@mikro-orm\/core)$/;

/** A service worker: it handles the page's requests in the browser. */
const SERVICE_WORKER = /\bself\.addEventListener\(\s*['"](fetch|install|activate)['"]/;
/** `export const prerender = true|false` in an Astro page. */
const PRERENDER = /^\s*export\s+const\s+prerender\s*=\s*(true|false)\b/m;
const ASTRO_CONFIG = ['astro.config.mjs', 'astro.config.ts', 'astro.config.js', 'astro.config.mts', 'astro.config.cjs'];

/** ORMs and database drivers: which one a package uses decides what its model calls do (DataCall.via). */
const DATA_LAYER_PACKAGE =
  /^(@prisma\/client|prisma|typeorm|@nestjs\/typeorm|sequelize|sequelize-typescript|@nestjs\/sequelize|mongoose|@nestjs\/mongoose|mongodb|knex|drizzle-orm|kysely|objection|pg|pg-promise|mysql2?|better-sqlite3|sqlite3|@mikro-orm\/core)$/;

/** Databases that run inside the process (SQLite): a query is a library call, not a round trip over a network. */
const EMBEDDED_DATABASE_DRIVER = /^(sqlite3|better-sqlite3|@journeyapps\/sqlcipher)$/;
/**
 * Clients of databases reached over a network, and ORMs whose driver is configured elsewhere (Prisma's schema names
 * its provider): a package naming one may query a server, whatever else it depends on.
 */
const NETWORK_DATABASE_PACKAGE =
  /^(pg|pg-promise|postgres|@neondatabase\/serverless|@vercel\/postgres|mysql2?|mariadb|mongodb|mongoose|@nestjs\/mongoose|tedious|mssql|oracledb|@libsql\/client|@planetscale\/database|@prisma\/client|prisma|cassandra-driver|@supabase\/supabase-js)$/;

/**
 * Babel plugins and presets for syntax TypeScript's grammar does not read: proposals (`::` function bind, `|>`,
 * `do { }` expressions, `export v from`…) and Flow's annotations, which need no `@flow` pragma once Babel strips
 * them. A package built with one writes that syntax on purpose: its JavaScript's syntax errors are not the author's.
 */
const NONSTANDARD_SYNTAX_PACKAGE =
  /^(?:@babel\/(?:plugin-(?:proposal|syntax)-(?:function-bind|pipeline-operator|do-expressions|async-do-expressions|partial-application|throw-expressions|export-default-from|record-and-tuple|destructuring-private)|preset-flow|plugin-transform-flow-strip-types|plugin-syntax-flow)|babel-plugin-(?:transform|syntax)-(?:function-bind|do-expressions|pipeline-operator|export-extensions|flow-strip-types|flow)|babel-preset-(?:stage-[0-2]|flow)|flow-bin)$/;

/** The files a runtime is read from besides the code file itself (package manifests, extension manifests, site configs). */
export function isRuntimeManifest(path: string): boolean {
  return /(^|\/)(package\.json|manifest\.json|vercel\.json|astro\.config\.[cm]?[jt]s)$/.test(path);
}

interface Folder {
  /** The nearest package's runtime as a whole (`server` when unsure). */
  runtime: 'server' | 'browser';
  /** For an Astro site, its folder (relative, '/' separated) and whether its pages are prerendered by default. */
  astro?: { dir: string; prerendered: boolean };
  /** The Vercel functions' `maxDuration` set beside the package (platform-limits.ts). */
  platform?: PlatformLimits;
  /** The data-layer packages (ORMs, drivers) the nearest package.json depends on (CodeFile.packageDataLayers). */
  dataLayers?: readonly string[];
  /** The nearest package.json's only database runs in the process (CodeFile.packageEmbeddedDatabase). */
  embeddedDatabase?: boolean;
  /** The Babel plugins for syntax TypeScript does not read that the nearest package.json depends on. */
  syntaxExtensions?: readonly string[];
  /** The folder of the nearest package.json (relative, '/' separated; '.' at the root). */
  packageDir?: string;
}

export interface RuntimeJudge {
  runtimeOf(file: { path: string; absPath: string }, text: string): CodeRuntime;
  /** CodeFile.platformLimit: the seconds the deploy platform's config lets the module's function run, if it says. */
  platformLimitOf(file: { path: string; absPath: string }): number | undefined;
  /** CodeFile.packageDataLayers: the ORM and driver packages the file's nearest package.json depends on. */
  dataLayersOf(file: { path: string; absPath: string }): readonly string[];
  /** CodeFile.packageEmbeddedDatabase: the nearest package.json runs SQLite in the process and names no network database. */
  embeddedDatabaseOf(file: { path: string; absPath: string }): boolean;
  /** Babel plugins for syntax TypeScript does not read (Flow, proposals) the file's nearest package.json depends on. */
  syntaxExtensionsOf(file: { path: string; absPath: string }): readonly string[];
  /** The folder of the file's nearest package.json ('.' at the root), read from disk as the runtime is. */
  packageDirOf(file: { path: string; absPath: string }): string | undefined;
}

/**
 * `lintRoots`: the absolute, real lint roots; `cwd`: the current directory. Nothing above both is
 * read. `text` loads the manifests (cached per run).
 */
export function createRuntimeJudge(
  lint: { roots: readonly string[]; folderRoots?: readonly string[] },
  text: TextFiles,
  cwd?: string,
): RuntimeJudge {
  const clean = (root: string) => root.replace(/\\/g, '/').replace(/\/$/, '');
  const folderRoots = (lint.folderRoots ?? lint.roots).map(clean);
  const fileRoots = lint.roots.map(clean).filter((root) => !folderRoots.includes(root));
  const here = cwd === undefined ? undefined : clean(realCwd(cwd));
  const roots = [...lint.roots.map(clean), ...(here !== undefined && fileRoots.length > 0 ? [here] : [])];
  const folders = new Map<string, Folder>();

  const read = (relPath: string, absPath: string): TextFile | undefined => {
    const known = text.get(relPath);
    if (known) return known;
    // Most folders hold no manifest: asked first, as realpathSync's error for a missing file costs more to make.
    if (!existsSync(absPath)) return undefined;
    try {
      const real = realpathSync(absPath).replace(/\\/g, '/');
      if (!roots.some((root) => real.startsWith(`${root}/`))) return undefined;
    } catch {
      return undefined; // no such file
    }
    return text.load(relPath, absPath);
  };

  /** The judgement for a folder: its own package, or its parent's (up to the root). */
  const folderOf = (rel: string, abs: string, root: string): Folder => {
    const cached = folders.get(abs);
    if (cached) return cached;
    const join = (name: string) => ({ rel: posix.join(rel, name), abs: `${abs}/${name}` });
    let folder: Folder | undefined;
    const manifest = join('manifest.json');
    if (/"manifest_version"\s*:/.test(read(manifest.rel, manifest.abs)?.content ?? '')) folder = { runtime: 'browser' };
    if (!folder) {
      const pkg = join('package.json');
      const content = read(pkg.rel, pkg.abs)?.content;
      if (content !== undefined) {
        folder = {
          ...packageFolder(content, rel, (name) => read(join(name).rel, join(name).abs)?.content),
          packageDir: rel,
        };
        const vercel = join('vercel.json');
        const platform = readPlatformLimits(rel, read(vercel.rel, vercel.abs)?.content);
        if (platform) folder = { ...folder, platform };
        // A monorepo's Babel setup is often the root's (babel.config.js and its plugins beside the workspaces).
        const up = abs.lastIndexOf('/');
        const inherited =
          abs === root || up <= 0
            ? undefined
            : folderOf(posix.join(rel, '..'), abs.slice(0, up), root).syntaxExtensions;
        if (inherited)
          folder = { ...folder, syntaxExtensions: [...new Set([...(folder.syntaxExtensions ?? []), ...inherited])] };
      }
    }
    if (!folder) {
      const up = abs.lastIndexOf('/');
      folder =
        abs === root || up <= 0 ? { runtime: 'server' } : folderOf(posix.join(rel, '..'), abs.slice(0, up), root);
    }
    folders.set(abs, folder);
    return folder;
  };

  /** The judgement of the folder a file is in (undefined when it is outside every root). */
  /**
   * The answer for each folder of files asked about (keyed by the file's absolute folder): every file of a folder
   * gets the same root and the same judgement, and each file is asked several times (runtime, data layers, limits).
   */
  const byFileFolder = new Map<string, Folder | undefined>();
  const folderOfFile = (file: { path: string; absPath: string }): Folder | undefined => {
    const abs = file.absPath.replace(/\\/g, '/');
    const dir = abs.slice(0, abs.lastIndexOf('/'));
    if (byFileFolder.has(dir)) return byFileFolder.get(dir);
    const under = (r: string) => abs.startsWith(`${r}/`);
    // The folder root the file was found under; for a file named on the command line, the current directory above it.
    const root =
      folderRoots.filter(under).sort((a, b) => a.length - b.length)[0] ??
      (here !== undefined && under(here) ? here : fileRoots.filter(under).sort((a, b) => a.length - b.length)[0]);
    const folder = root === undefined ? undefined : folderOf(posix.dirname(file.path), dir, root);
    byFileFolder.set(dir, folder);
    return folder;
  };

  return {
    platformLimitOf(file) {
      return platformLimitOf(folderOfFile(file)?.platform, file.path);
    },
    dataLayersOf(file) {
      return folderOfFile(file)?.dataLayers ?? [];
    },
    embeddedDatabaseOf(file) {
      return folderOfFile(file)?.embeddedDatabase === true;
    },
    syntaxExtensionsOf(file) {
      return folderOfFile(file)?.syntaxExtensions ?? [];
    },
    packageDirOf(file) {
      return folderOfFile(file)?.packageDir;
    },
    runtimeOf(file, content) {
      if (isUseClient(content) || SERVICE_WORKER.test(content)) return 'browser';
      const folder = folderOfFile(file);
      if (folder === undefined) return 'server';
      if (folder.runtime === 'browser') return 'browser';
      if (folder.astro && isAstroPage(file.path, folder.astro.dir)) {
        const declared = PRERENDER.exec(content)?.[1];
        const prerendered = declared === undefined ? folder.astro.prerendered : declared === 'true';
        return prerendered ? 'build' : 'server';
      }
      return 'server';
    },
  };
}

function realCwd(cwd: string): string {
  try {
    return realpathSync(cwd);
  } catch {
    return cwd;
  }
}

function packageFolder(content: string, dir: string, readBeside: (name: string) => string | undefined): Folder {
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(content) as Record<string, unknown>;
  } catch {
    return { runtime: 'server' };
  }
  const names = ['dependencies', 'devDependencies', 'peerDependencies'].flatMap((key) => {
    const deps = manifest[key];
    return deps && typeof deps === 'object' ? Object.keys(deps) : [];
  });
  const dataLayers = names.filter((name) => DATA_LAYER_PACKAGE.test(name));
  // A driver the package runs with (not one only its tests use), and no database it could reach over a network.
  const runsWith = ['dependencies', 'optionalDependencies'].flatMap((key) => {
    const deps = manifest[key];
    return deps && typeof deps === 'object' ? Object.keys(deps) : [];
  });
  const embeddedDatabase =
    runsWith.some((name) => EMBEDDED_DATABASE_DRIVER.test(name)) &&
    ![...names, ...runsWith].some((name) => NETWORK_DATABASE_PACKAGE.test(name));
  const syntaxExtensions = names.filter((name) => NONSTANDARD_SYNTAX_PACKAGE.test(name));
  const withData = (folder: Folder): Folder => ({
    ...folder,
    ...(dataLayers.length > 0 ? { dataLayers } : {}),
    ...(embeddedDatabase ? { embeddedDatabase } : {}),
    ...(syntaxExtensions.length > 0 ? { syntaxExtensions } : {}),
  });
  if (names.includes('astro')) {
    const config = ASTRO_CONFIG.map(readBeside).find((text) => text !== undefined);
    // Astro renders pages at build time unless the config asks for a server (`output: 'server'`).
    const output = config && /\boutput\s*:\s*['"](\w+)['"]/.exec(config)?.[1];
    return withData({ runtime: 'server', astro: { dir, prerendered: output !== 'server' } });
  }
  const ui = names.some((name) => UI_PACKAGE.test(name));
  const server = names.some((name) => SERVER_PACKAGE.test(name));
  return withData({ runtime: ui && !server ? 'browser' : 'server' });
}

/** A page or endpoint of the Astro site in `dir` (`src/pages/…`). */
function isAstroPage(path: string, dir: string): boolean {
  return path.startsWith(posix.join(dir, 'src/pages/'));
}
