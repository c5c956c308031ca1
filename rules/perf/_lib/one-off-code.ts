/**
 * Code that is not the running service: tests, seeds, migrations, schema alterations, backfills,
 * benchmarks, operator scripts and command-line tools. It runs once, by hand or in a pipeline, on
 * purpose step by step: a query per row there or a request without a deadline costs nothing in
 * production (a person watches it and can interrupt it). Shared by perf/no-n-plus-one and
 * resilience/http-client-timeouts; judged from the file's path and text alone (the rules are file-scoped).
 */

import { isTestPath } from '../../../src/rule-api.js';

/**
 * Folders and file names that say "run once": seeds, migrations, alterations, backfills, cutovers (a one-time
 * switch from an old format to a new one), benchmarks,
 * also qualified (`code-migrations/`, `data_migrations/`, `db-seeds/`, `migration-scripts/`), and upgrade steps
 * filed under the version that runs them (`upgrades/1.13.3/fix_users.js`: an upgrade runner applies each once).
 */
const RUN_ONCE_PATH =
  /(^|\/)([a-z]+[-_])?(seeds?|seeders|migrations?|migrate|alterations|backfills?|cutovers?|benchmarks?|bench)([-_](scripts?|tasks?|jobs?))?\/|(^|\/)[^/]*(seed|backfill|migrat)[^/]*\.[cm]?[jt]sx?$|(^|\/)upgrades?\/v?\d+(\.\d+)+\//i;

/**
 * Script folders: `scripts/`, `.scripts/`, `tools/`, `bin/` (a package's commands: `bin/backfillArchives.ts`,
 * `bin/traces.ts`). Not every file there is run by hand (see isOneOffForRequests).
 */
const SCRIPT_FOLDER = /(^|\/)\.?(scripts?|tools|bin)\//i;

/**
 * A local development environment (`packages/dev-env/…`, `devenv/`): it boots the services on a developer's
 * machine for tests and demos, and a person watches it.
 */
const DEV_ENVIRONMENT = /(^|\/)dev-?env(ironment)?\//i;

/**
 * Demo or sample data a product writes to show itself off (`demo-data/demo-data.service.ts`, `sampleData.ts`): a
 * fixed set of example rows written once, when an account or install starts, like a seed.
 */
const DEMO_DATA = /(^|\/)[^/]*(demo|sample)[-_]?data[^/]*(\/|\.[cm]?[jt]sx?$)/i;

/**
 * A module written to a migration framework's contract, wherever it is filed (`migration-old-backup/…`): a TypeORM
 * class that `implements MigrationInterface`, a MikroORM `extends Migration`, a Sequelize or Umzug `up(queryInterface…)`,
 * a Knex or Kysely `export async function up(knex)` / `exports.up = …`. The framework runs it once per database.
 */
const MIGRATION_CONTRACT =
  /\bimplements\s+MigrationInterface\b|\bextends\s+Migration\s*\{|\bup\s*[:=]?\s*(async\s*)?(function\s*)?\(\s*\{?\s*(queryInterface|context)\b|\bexports\.up\s*=|\bexport\s+(async\s+)?function\s+up\s*\(\s*(knex|db|trx)\b/;

/** A file named as a script wherever it lives: `backfill-users.script.ts`. */
const SCRIPT_FILE = /\.script\.[cm]?[jt]s$/i;

/**
 * A file that is a command run by hand: a shebang, the process's arguments or exit code, a top-level
 * `main()`, or top-level `await` (a statement at column 0 that awaits: the module does its work when run).
 */
const ENTRY_POINT =
  /^#!|\bprocess\.argv\b|\bprocess\.exit\(|\brequire\.main\s*===\s*module\b|\bimport\.meta\.main\b|^\s*(void\s+|await\s+)?main\(\)|^(await\s|(const|let|var)\s[^=\n]+=\s*await\s)/m;
/**
 * Toolkits only a terminal program uses: prompts, spinners, progress bars, command parsers. A
 * service may parse its flags with commander or yargs, so those count only in a script folder.
 */
const TERMINAL_UI =
  /from\s+['"]((node:)?readline(\/promises)?|ora|inquirer|@inquirer\/[\w-]+|prompts|enquirer|listr2?|cli-progress|@oclif\/[\w-]+|clipanion)['"]/;
const COMMAND_PARSER = /from\s+['"](commander|yargs|yargs\/[\w-]+|cac|meow)['"]/;
/**
 * A package or folder named for a command-line program (`packages/cli/src/…`, `src/cli/…`,
 * `packages/admin-cli/…`), or a project scaffolder (`packages/create/…`, `packages/create-app/…`: what
 * `npm create <name>` runs): a person runs it and watches it.
 */
const CLI_FOLDER = /(^|\/)([\w-]+[-_])?cli\/|(^|\/)(packages|apps)\/create(-[\w-]+)?\//i;

/**
 * A data import: an `import/` or `importers/` folder, a file named for one (`file-import-task.service.ts`,
 * `import-campaigns.ts`, `csvImporter.ts`). It copies another system's data in once, when a user
 * onboards or moves a workspace, row by row on purpose (each row's outcome — created, skipped,
 * conflicting — is checked and reported).
 */
const IMPORT_FOLDER = /(^|\/)(imports?|importers?|importing)\//i;
const IMPORT_FILE = /(^|[-_.])import(s|er|ers|ing)?([-_.]|$)|[a-z]Import(s|er|ers|ing)?([A-Z]|$)/;

/** A function that runs an import (`importResources`, `importCampaigns`): see IMPORT_FOLDER. */
export const IMPORT_FUNCTION = /^import([A-Z_]\w*)?$/;

/**
 * Whether the file is one-off code for perf/no-n-plus-one: any file in a script folder or a
 * command-line tool counts (a loop of queries there is a migration, an export or a maintenance task
 * an operator runs), and so do a data import and demo data.
 */
export function isOneOffForQueries(path: string, text = ''): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1).replace(/\.[cm]?[jt]sx?$/, '');
  return (
    isTestPath(path) ||
    isCommandModule(text) ||
    RUN_ONCE_PATH.test(path) ||
    MIGRATION_CONTRACT.test(text) ||
    DEMO_DATA.test(path) ||
    DEV_ENVIRONMENT.test(path) ||
    SCRIPT_FOLDER.test(path) ||
    SCRIPT_FILE.test(path) ||
    CLI_FOLDER.test(path) ||
    IMPORT_FOLDER.test(path) ||
    IMPORT_FILE.test(base)
  );
}

/**
 * Whether the file is one-off code for outbound HTTP. A file in a script folder counts only when it
 * is itself a command (a module of helpers there may be run by a build step every user runs, where a
 * hang is real); elsewhere, a file that drives a terminal (prompts, spinners), or any file of a `cli`
 * package or folder, is part of a command-line tool.
 */
export function isOneOffForRequests(path: string, text: string): boolean {
  if (
    isTestPath(path) ||
    isCommandModule(text) ||
    RUN_ONCE_PATH.test(path) ||
    DEV_ENVIRONMENT.test(path) ||
    SCRIPT_FILE.test(path) ||
    CLI_FOLDER.test(path) ||
    TERMINAL_UI.test(text) ||
    /^#!/.test(text)
  )
    return true;
  return SCRIPT_FOLDER.test(path) && (ENTRY_POINT.test(text) || COMMAND_PARSER.test(text) || runsOwnFunction(text));
}

/** A top-level call, at column 0, of a function with no arguments: `generate();`, `void run().catch(…)`. */
const TOP_LEVEL_CALL = /^(?:void\s+|await\s+)?([A-Za-z_$][\w$]*)\(\)(?:\.(?:then|catch|finally)\([^\n]*)?;?[ \t]*$/gm;

/** The module calls a function it declares itself, at load: it does its work when run, like `main()`. */
function runsOwnFunction(text: string): boolean {
  for (const match of text.matchAll(TOP_LEVEL_CALL)) {
    const name = match[1]!.replace(/\$/g, '\\$');
    if (
      new RegExp(
        `(^|\\n)\\s*(export\\s+)?(async\\s+)?(function\\s*\\*?\\s*${name}\\b|(const|let|var)\\s+${name}\\s*=)`,
      ).test(text)
    )
      return true;
  }
  return false;
}

/** The command's own arguments: `process.argv[2]`, `process.argv.slice(2)`, `const [, , id] = process.argv`. */
const POSITIONAL_ARGUMENTS =
  /\bprocess\.argv\s*(?:\[\s*[2-9]\s*\]|\.slice\(\s*[2-9]|\.length\b)|\[\s*,\s*,[^\]]*\]\s*=\s*process\.argv\b/;
/** A module that gives something to others: `export …`, `module.exports`, `exports.x =`. */
const EXPORTS = /^\s*export\s|\bmodule\.exports\b|^\s*exports\.[\w$]+\s*=/m;

/**
 * A command wherever it lives: it exports nothing (nothing imports it) and either reads its own positional
 * arguments (`node utils/urldump.js <crawlId>`, `tsx prisma/populate.ts <count>`) or runs its own function at
 * load (`async function main() { … } main()`: a scratch or example script), or an async function it writes and
 * calls in place (`(async () => { … })()`), without serving or looping for ever like a service's entry module. A person runs it and reads its output.
 */
function isCommandModule(text: string): boolean {
  if (EXPORTS.test(text)) return false;
  return (
    POSITIONAL_ARGUMENTS.test(text) || ((runsOwnFunction(text) || runsInlineAsync(text)) && !LONG_RUNNING.test(text))
  );
}

/**
 * An async function written and called at load, at column 0: `(async () => {` … `})();`. It is a script's
 * `main()` without the name: nobody awaits it, so the module is run for what it does. Async only: a plain
 * `(function () { … })()` is the old wrapper of a browser script or a library, which says nothing of who runs it.
 */
const INLINE_ASYNC_START = /^(?:void\s+|;)?\(\s*async\s*(?:\(\s*\)\s*=>|function\b[^(\n]*\(\s*\))\s*\{/m;
const INLINE_ASYNC_END = /^\}\)\(\)(?:\.(?:then|catch|finally)\([^\n]*)?;?[ \t]*$/m;

function runsInlineAsync(text: string): boolean {
  return INLINE_ASYNC_START.test(text) && INLINE_ASYNC_END.test(text);
}

/**
 * What a service's entry module does and a script does not: listen, serve, start workers or schedules,
 * subscribe, or loop for ever. `async function main() { … } main()` without any of it does its work and ends.
 */
const LONG_RUNNING =
  /\.listen\(|\bcreateServer\(|\bserve\(|\bsetInterval\(|\bnew Worker\(|\bcron\b|\.schedule\(|\.subscribe\(|\.process\(|\.start\(\)|\bwhile\s*\(\s*true\s*\)|\bfor\s*\(\s*;\s*;\s*\)|NestFactory|\bbootstrap\b/i;
