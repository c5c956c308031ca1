// Benchmark targets: what archlint runs, and what each peer runs, on the same input.
//
// A target is { description, prepare(ctx) }. prepare returns either
//   { input, archlint: ctx.archlint([...args]), peers: [ctx.peer('<name>', [...args]), ...] }
// or { skip: '<why>' } when its input is not there (e.g. the shared corpus is absent).
// Optional: compare: 'sum' (archlint against the sum of its peers, each on its slice of one
// tree), goals: { maxWallMs, maxRssMb, minSpeedup } (checked against archlint's figures), and
// on any tool summarize(stdout, stderr) → one line saying what its last report held.
//
// ctx (built by run.mjs):
//   ctx.repoRoot, ctx.benchDir      absolute paths
//   ctx.corpus(rel)                 absolute path of ../shared/corpus/<rel> (next to the repo), or
//                                   undefined when it does not exist
//   ctx.tmpdir()                    a fresh directory under os.tmpdir(), removed after the run
//   ctx.archlint(args, opts?)       node <repo>/bin/archlint.js ...args
//   ctx.peer(name, args, opts?)     a peer from bench/node_modules (names: see PEERS)
// opts: { cwd } (default: a scratch directory with no config files in it).
//
// Output formats: every tool is asked for its machine format (JSON) where it has one, so the
// comparison measures analysis rather than pretty-printing. Output goes to a file, not a pipe.

import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { writeTsTree } from './ts-tree.mjs';
import { generateTsService } from './ts-service.mjs';
import {
  commonDir,
  describeCodeBase,
  describeCorpus,
  scaleTree,
  summarizeArchlint,
  summarizeEslint,
  summarizeSecretlint,
  summarizeSpectral,
  summarizeSquawk,
  writeEslintConfig,
} from './scale.mjs';

/** Peers: npm package, its bin name, exit codes that mean "the tool failed" (not "found problems"). */
export const PEERS = {
  eslint: { pkg: 'eslint', bin: 'eslint', failCodes: [2] },
  spectral: { pkg: '@stoplight/spectral-cli', bin: 'spectral', failCodes: [2] },
  redocly: {
    pkg: '@redocly/cli',
    bin: 'redocly',
    failCodes: [],
    // No telemetry (it probes the network with a 1 s timeout after each command) and no update check.
    env: { REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', DO_NOT_TRACK: '1' },
  },
  // squawk-cli's bin is a Node wrapper around a native binary from @squawk-cli/<platform>-<arch>;
  // run.mjs runs the native binary directly when it is there (no Node start-up in squawk's time).
  squawk: { pkg: 'squawk-cli', bin: 'squawk', native: 'squawk', failCodes: [] },
  secretlint: { pkg: 'secretlint', bin: 'secretlint', failCodes: [2] },
};

/** The rules archlint runs on an OpenAPI description (extend as rules land). */
const OPENAPI_RULES = ['api/paginated-lists', 'api/versioned-routes', 'ops/health-endpoints', 'api/structured-errors'];
/** The rules archlint runs on TypeScript service code (the API rules read code endpoints). */
const TS_RULES = [
  'api/paginated-lists',
  'api/versioned-routes',
  'ops/health-endpoints',
  'api/structured-errors',
  'api/authenticated-operations',
  'api/rate-limit-responses',
];
/** The rules archlint runs on SQL migrations (extend as rules land). */
const SQL_RULES = ['db/indexed-foreign-keys', 'db/primary-keys', 'db/money-as-decimal', 'db/timestamps-with-time-zone'];

/** PostgreSQL folders of ../shared/corpus/sql (see its SOURCES.md). */
const PG_SQL_FOLDERS = [
  'dolphinscheduler-postgresql',
  'hoppscotch',
  'kratos-postgres',
  'supabase-auth',
  'temporal-postgresql',
  'trigger.dev',
  'umami-postgresql',
];

function countFiles(dir, pred) {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) n += countFiles(p, pred);
    else if (e.isFile() && pred(e.name)) n += 1;
  }
  return n;
}

/** Issue #8's goals for a whole archlint run on ~5,400 real TS files (2 cores): scale-ts. */
const SCALE_GOALS = { maxWallMs: 10_000, maxRssMb: 1536, minSpeedup: 3 };
/**
 * The code base plus the corpus is twice the files (~11,600: the corpus adds ~3,000 OpenAPI files,
 * 1,700 migrations and 5,300 files for the secrets scan); the 10 s wall goal is for the code base
 * alone, so here only memory and the speed-up against the peers' sum are goals.
 */
const SCALE_CORPUS_GOALS = { maxRssMb: 1536, minSpeedup: 3 };

/** The peers a team runs on a code base: ESLint (TS parser) on the code, secretlint on every file. */
function codePeers(ctx, dir, paths) {
  const eslintConfig = writeEslintConfig(dir, ctx.benchDir);
  const rc = join(dir, '.secretlintrc.json');
  writeFileSync(rc, JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }, null, 2));
  return [
    // ESLint ignores files outside its base path, the working folder when --config is given.
    {
      ...ctx.peer(
        'eslint',
        ['--config', eslintConfig, '--format', 'json', '--no-error-on-unmatched-pattern', ...paths],
        { cwd: commonDir(paths) },
      ),
      summarize: summarizeEslint,
    },
    {
      ...ctx.peer('secretlint', [
        '--secretlintrc',
        rc,
        '--format',
        'json',
        '--no-color',
        ...paths.map((p) => `${p}/**/*`),
      ]),
      summarize: summarizeSecretlint,
    },
  ];
}

/**
 * The secrets rule on one file holding one hostile line of `kb` KiB (`key:` repeated, then `(`),
 * against secretlint on the same file. The test test/secrets-hostile-lines.test.ts checks the rule
 * still finishes; this measures how long it takes.
 */
function hostileLineTargets(sizes) {
  return Object.fromEntries(
    Object.entries(sizes).map(([name, kb]) => [
      name,
      {
        description: `one ${kb} KB line of \`key:\` repeated and a \`(\` in notes.txt: archlint --only security/no-hardcoded-secrets vs secretlint (recommend preset)`,
        prepare(ctx) {
          const dir = ctx.tmpdir();
          const root = join(dir, 'tree');
          mkdirSync(root);
          writeFileSync(join(root, 'notes.txt'), `${'key:'.repeat((kb * 1024) / 4)}(\n`);
          const rc = join(dir, '.secretlintrc.json');
          writeFileSync(
            rc,
            JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }, null, 2),
          );
          return {
            input: `${root}/notes.txt: one line of ${kb * 1024 + 1} characters`,
            archlint: ctx.archlint(['lint', '--only', 'security/no-hardcoded-secrets', '--format', 'json', root]),
            peers: [ctx.peer('secretlint', ['--secretlintrc', rc, '--format', 'json', '--no-color', `${root}/**/*`])],
          };
        },
      },
    ]),
  );
}

const missing = (what) =>
  `input missing: ${what} (the shared corpus lives next to the repo at ../shared/corpus; see its SOURCES.md)`;

export const targets = {
  version: {
    description: 'process start-up: archlint --version vs eslint --version',
    prepare(ctx) {
      return {
        input: 'none',
        archlint: ctx.archlint(['--version']),
        peers: [ctx.peer('eslint', ['--version'])],
      };
    },
  },

  empty: {
    description:
      'start-up + config + discovery on an empty folder: archlint lint vs ESLint with @typescript-eslint/parser',
    prepare(ctx) {
      const dir = ctx.tmpdir();
      const target = join(dir, 'target');
      const configDir = join(dir, 'config');
      for (const d of [target, configDir]) ctx.mkdir(d);
      const parser = createRequire(join(ctx.benchDir, 'package.json')).resolve('@typescript-eslint/parser');
      const eslintConfig = join(configDir, 'eslint.config.mjs');
      writeFileSync(
        eslintConfig,
        `import tsParser from ${JSON.stringify(pathToFileURL(parser).href)};\n` +
          `export default [{ files: ['**/*.ts', '**/*.tsx'], languageOptions: { parser: tsParser } }];\n`,
      );
      return {
        input: `empty folder ${target}`,
        archlint: ctx.archlint(['lint', '--format', 'json', target], { cwd: dir }),
        peers: [
          ctx.peer(
            'eslint',
            ['--config', eslintConfig, '--format', 'json', '--no-error-on-unmatched-pattern', target],
            {
              cwd: dir,
            },
          ),
        ],
      };
    },
  },

  'openapi-github': {
    description: `GitHub REST API description (OpenAPI 3.0, 4 MB JSON, 874 operations): archlint --only ${OPENAPI_RULES.join(',')} vs spectral lint -r spectral:oas and redocly lint (recommended)`,
    prepare(ctx) {
      const spec = ctx.corpus('openapi/octokit-openapi/generated/api.github.com.json');
      if (!spec) return { skip: missing('openapi/octokit-openapi/generated/api.github.com.json') };
      const dir = ctx.tmpdir();
      // spectral cannot take `-r spectral:oas` on the command line: it wants a ruleset file.
      const ruleset = join(dir, '.spectral.yaml');
      writeFileSync(ruleset, 'extends: ["spectral:oas"]\n');
      return {
        input: spec,
        archlint: ctx.archlint(['lint', '--only', OPENAPI_RULES.join(','), '--format', 'json', spec]),
        peers: [
          ctx.peer('spectral', ['lint', '--ruleset', ruleset, '--format', 'json', spec]),
          ctx.peer('redocly', ['lint', '--format', 'json', spec]),
        ],
      };
    },
  },

  'openapi-github-yaml': {
    description:
      "GitHub's REST API description as YAML (2020, 2.4 MB, the shared corpus): archlint, all rules, vs redocly lint (recommended) — issue 24's target",
    prepare(ctx) {
      const spec = ctx.corpus('openapi/rest-api-description-2020/descriptions/api.github.com/api.github.com.yaml');
      if (!spec)
        return { skip: missing('openapi/rest-api-description-2020/descriptions/api.github.com/api.github.com.yaml') };
      return {
        input: spec,
        archlint: ctx.archlint(['lint', '--format', 'json', spec]),
        peers: [ctx.peer('redocly', ['lint', '--format', 'json', spec])],
      };
    },
  },

  'openapi-digitalocean': {
    description: `DigitalOcean API description (OpenAPI 3.0, a root plus ~2,900 files reached by relative $ref): archlint --only ${OPENAPI_RULES.join(',')} vs redocly lint (recommended)`,
    prepare(ctx) {
      const spec = ctx.corpus('openapi/digitalocean-openapi/specification/DigitalOcean-public.v2.yaml');
      if (!spec) return { skip: missing('openapi/digitalocean-openapi/specification/DigitalOcean-public.v2.yaml') };
      return {
        input: spec,
        archlint: ctx.archlint(['lint', '--only', OPENAPI_RULES.join(','), '--format', 'json', spec]),
        peers: [ctx.peer('redocly', ['lint', '--format', 'json', spec])],
      };
    },
  },

  'openapi-digitalocean-yaml': {
    description:
      "DigitalOcean's API description (OpenAPI 3.0 in YAML: a root plus ~2,900 files reached by relative $ref, 659 operations): archlint, all rules, vs redocly lint (recommended) — issue 24's second target",
    prepare(ctx) {
      const spec = ctx.corpus('openapi/digitalocean-openapi/specification/DigitalOcean-public.v2.yaml');
      if (!spec) return { skip: missing('openapi/digitalocean-openapi/specification/DigitalOcean-public.v2.yaml') };
      return {
        input: spec,
        archlint: ctx.archlint(['lint', '--format', 'json', spec]),
        peers: [ctx.peer('redocly', ['lint', '--format', 'json', spec])],
      };
    },
  },

  'ts-service': {
    description: `a generated ~1,000-file Express TypeScript service: archlint --only ${TS_RULES.join(',')} vs ESLint (@typescript-eslint/parser, one trivial rule) and the bare TypeScript parser reading the same files`,
    prepare(ctx) {
      const dir = ctx.tmpdir();
      const target = join(dir, 'service');
      const files = generateTsService(target);
      const req = createRequire(join(ctx.benchDir, 'package.json'));
      const parser = req.resolve('@typescript-eslint/parser');
      const eslintConfig = join(dir, 'eslint.config.mjs');
      writeFileSync(
        eslintConfig,
        `import tsParser from ${JSON.stringify(pathToFileURL(parser).href)};\n` +
          `export default [{ files: ['**/*.ts'], languageOptions: { parser: tsParser }, rules: { 'no-debugger': 'error' } }];\n`,
      );
      const typescript = JSON.parse(readFileSync(req.resolve('typescript/package.json'), 'utf8')).version;
      return {
        input: `${files} .ts files generated under ${target} (bench/ts-service.mjs)`,
        archlint: ctx.archlint(['lint', '--only', TS_RULES.join(','), '--format', 'json', target], { cwd: dir }),
        peers: [
          ctx.peer('eslint', ['--config', eslintConfig, '--format', 'json', target], { cwd: dir }),
          // Not an npm bin: a script that only parses the same files with the TypeScript package.
          {
            name: 'ts-parse',
            version: typescript,
            command: process.execPath,
            args: [join(ctx.benchDir, 'ts-parse.mjs'), target],
            cwd: dir,
            env: {},
            failCodes: [1, 2],
          },
        ],
      };
    },
  },

  'sql-corpus': {
    description: `PostgreSQL migrations of the shared corpus (${PG_SQL_FOLDERS.length} projects): archlint --only ${SQL_RULES.join(',')} vs squawk`,
    prepare(ctx) {
      const root = ctx.corpus('sql');
      if (!root) return { skip: missing('sql/') };
      const folders = PG_SQL_FOLDERS.map((f) => join(root, f));
      const absent = PG_SQL_FOLDERS.filter((f) => !ctx.corpus(`sql/${f}`));
      if (absent.length) return { skip: missing(`sql/${absent.join(', sql/')}`) };
      const files = folders.reduce((n, d) => n + countFiles(d, (name) => name.endsWith('.sql')), 0);
      return {
        input: `${files} .sql files in ${folders.length} folders under ${root}`,
        // archlint discovers the files in the folders; squawk needs file globs (it rejects a folder).
        archlint: ctx.archlint(['lint', '--only', SQL_RULES.join(','), '--format', 'json', ...folders]),
        peers: [ctx.peer('squawk', ['--reporter', 'json', ...folders.map((d) => `${d}/**/*.sql`)])],
      };
    },
  },

  'code-rules-ts': {
    description:
      'a generated 5,000-file TypeScript backend (bench/ts-tree.mjs; every file calls fetch): archlint --only perf/no-n-plus-one,resilience/http-client-timeouts vs the bare TypeScript parser reading the same files',
    prepare(ctx) {
      const dir = ctx.tmpdir();
      const root = join(dir, 'tree');
      const { files } = writeTsTree(root);
      const req = createRequire(join(ctx.benchDir, 'package.json'));
      const typescript = JSON.parse(readFileSync(req.resolve('typescript/package.json'), 'utf8')).version;
      return {
        input: `${files} files under ${root}`,
        archlint: ctx.archlint([
          'lint',
          '--only',
          'perf/no-n-plus-one,resilience/http-client-timeouts',
          '--format',
          'json',
          root,
        ]),
        peers: [
          {
            name: 'ts-parse',
            version: typescript,
            command: process.execPath,
            args: [join(ctx.benchDir, 'ts-parse.mjs'), root],
            cwd: dir,
            env: {},
            failCodes: [1, 2],
          },
        ],
      };
    },
  },

  'secrets-ts': {
    description:
      'a generated 5,000-file TypeScript backend (34 MB, 40 planted secrets; bench/ts-tree.mjs): archlint --only security/no-hardcoded-secrets vs secretlint with @secretlint/secretlint-rule-preset-recommend',
    prepare(ctx) {
      const dir = ctx.tmpdir();
      const root = join(dir, 'tree');
      const { files, planted } = writeTsTree(root);
      const rc = join(dir, '.secretlintrc.json');
      writeFileSync(rc, JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }, null, 2));
      return {
        input: `${files} files under ${root} (${planted.length} planted secrets)`,
        archlint: ctx.archlint(['lint', '--only', 'security/no-hardcoded-secrets', '--format', 'json', root]),
        peers: [ctx.peer('secretlint', ['--secretlintrc', rc, '--format', 'json', '--no-color', `${root}/**/*`])],
      };
    },
  },

  secrets: {
    description:
      'every file of the shared corpus (~5,300 files, 37 MB): archlint --only security/no-hardcoded-secrets vs secretlint with @secretlint/secretlint-rule-preset-recommend',
    prepare(ctx) {
      const root = ctx.corpus('');
      if (!root) return { skip: missing('the corpus folder') };
      const dir = ctx.tmpdir();
      const rc = join(dir, '.secretlintrc.json');
      writeFileSync(rc, JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }, null, 2));
      const files = countFiles(root, () => true);
      return {
        input: `${files} files under ${root}`,
        archlint: ctx.archlint(['lint', '--only', 'security/no-hardcoded-secrets', '--format', 'json', root]),
        peers: [ctx.peer('secretlint', ['--secretlintrc', rc, '--format', 'json', '--no-color', `${root}/**/*`])],
      };
    },
  },

  // Issue 23, item 2: one crafted line (`key:` repeated, then `(`) in a text file that is not code
  // stalled the secrets rule quadratically (6.7 s at 128 KB, 21 s at 256 KB, 391 s at 1 MB). Three
  // sizes: linear time doubles, then quadruples, from one to the next.
  ...hostileLineTargets({
    'secrets-hostile-line-128k': 128,
    'secrets-hostile-line-256k': 256,
    'secrets-hostile-line-1m': 1024,
  }),

  'scale-ts': {
    description:
      'a large real TypeScript code base ($ARCHLINT_SCALE_TREE, e.g. medusajs/medusa): archlint with all rules vs the sum of ESLint (@typescript-eslint/parser, one trivial rule) and secretlint (recommend preset)',
    prepare(ctx) {
      const { tree, skip } = scaleTree();
      if (skip) return { skip };
      const code = describeCodeBase(tree);
      return {
        input: `${code.text}\n        eslint lints the TS/JS files; secretlint and archlint read every file`,
        compare: 'sum',
        goals: SCALE_GOALS,
        archlint: { ...ctx.archlint(['lint', '--format', 'json', tree]), summarize: summarizeArchlint },
        peers: codePeers(ctx, ctx.tmpdir(), [tree]),
      };
    },
  },

  scale: {
    description:
      'a large real TypeScript code base ($ARCHLINT_SCALE_TREE) plus ../shared/corpus: archlint with all rules vs the sum of ESLint, secretlint, squawk and Spectral (spectral:oas), each on its slice',
    prepare(ctx) {
      const { tree, skip } = scaleTree();
      if (skip) return { skip };
      const corpusDir = ctx.corpus('');
      if (!corpusDir) return { skip: missing('the corpus folder') };
      const absent = ['openapi', ...PG_SQL_FOLDERS.map((f) => `sql/${f}`)].filter((f) => !ctx.corpus(f));
      if (absent.length) return { skip: missing(absent.join(', ')) };
      const pgFolders = PG_SQL_FOLDERS.map((f) => ctx.corpus(`sql/${f}`));
      const code = describeCodeBase(tree);
      const corpus = describeCorpus(corpusDir, pgFolders);
      if (!corpus.openapiRoots.length) return { skip: missing('an OpenAPI root document under openapi/') };
      const dir = ctx.tmpdir();
      const ruleset = join(dir, '.spectral.yaml');
      writeFileSync(ruleset, 'extends: ["spectral:oas"]\n');
      return {
        input:
          `${code.text}\n        ${corpus.text}\n        ` +
          `archlint and secretlint read every file of both; eslint the TS/JS files; squawk the PostgreSQL .sql files; spectral the ${corpus.openapiRoots.length} OpenAPI roots`,
        compare: 'sum',
        goals: SCALE_CORPUS_GOALS,
        archlint: { ...ctx.archlint(['lint', '--format', 'json', tree, corpusDir]), summarize: summarizeArchlint },
        peers: [
          ...codePeers(ctx, dir, [tree, corpusDir]),
          // squawk needs file globs (it rejects a folder), as in sql-corpus.
          {
            ...ctx.peer('squawk', ['--reporter', 'json', ...pgFolders.map((d) => `${d}/**/*.sql`)]),
            summarize: summarizeSquawk,
          },
          // One Spectral process for all the roots, as a team's CI step would run it.
          {
            ...ctx.peer('spectral', ['lint', '--ruleset', ruleset, '--format', 'json', ...corpus.openapiRoots]),
            summarize: summarizeSpectral(corpus.openapiRoots),
          },
        ],
      };
    },
  },
};
