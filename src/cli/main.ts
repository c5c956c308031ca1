/**
 * The command line. This module loads only commander; each command imports what it needs when
 * it runs, so `archlint --version` does not pay for parsers, globbing or validation.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { UsageError } from '../errors.js';
import { packageInfo } from '../version.js';
import { processIo, type CliIo } from './io.js';

export { FAIL_LEVELS, FORMATS, type LintFlags } from './flags.js';
import { FAIL_LEVELS, FORMATS, type LintFlags } from './flags.js';

const collect = (value: string, previous: string[]) => [...previous, value];

function warningCount(value: string): number {
  if (!/^\d{1,9}$/.test(value))
    throw new InvalidArgumentError(`expected a whole number of warnings (0 or more), got ${JSON.stringify(value)}`);
  return Number(value);
}

function category(value: string): string {
  if (value.trim() === '' || /[\r\n]/.test(value))
    throw new InvalidArgumentError('expected a non-empty name on one line, e.g. "orders-service"');
  return value.trim();
}

/** `--color` and `--no-color` as a pair: neither given leaves the choice to FORCE_COLOR, NO_COLOR and the terminal. */
function colorOptions(command: Command): Command {
  return command
    .option('--color', 'colours even when not a terminal (also FORCE_COLOR=1)')
    .option('--no-color', 'no colours (also NO_COLOR=1 or FORCE_COLOR=0)');
}

function threadCount(value: string): number {
  if (!/^[1-9]\d{0,2}$/.test(value))
    throw new InvalidArgumentError(`expected a whole number of threads from 1 to 999, got ${JSON.stringify(value)}`);
  return Number(value);
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  let exitCode = 0;
  const program = new Command()
    .name('archlint')
    .description(
      'Reviews a backend repository like a senior architect: OpenAPI, SQL migrations and TypeScript services.',
    )
    .version(packageInfo.version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      // Commander's own error text is replaced by one "archlint: …" line below.
      writeErr: () => {},
    });

  const lintCommand = program
    .command('lint', { isDefault: true })
    .description('check files and folders (default: the current folder)')
    .argument('[paths...]', 'files, folders or quoted globs to check')
    .addOption(
      new Option(
        '-f, --format <format[=file]>',
        `report format (${FORMATS.join('|')}); repeat for several reports, "=file" writes one to a file`,
      )
        .argParser(collect)
        .default([]),
    )
    .option('-o, --output <file>', 'write the (first) report to a file instead of standard output')
    .option('-c, --config <file>', 'use this config file instead of searching upward for one')
    .addOption(
      new Option('--rule <id=severity>', 'set a rule to off|note|warning|error (repeatable)')
        .argParser(collect)
        .default([]),
    )
    .option('--only <ids>', 'run only these rules (comma-separated)')
    .addOption(
      new Option('--fail-on <level>', 'exit 1 when a finding is at or above this level')
        .choices(FAIL_LEVELS)
        .default('error'),
    )
    .addOption(
      new Option('--max-warnings <n>', 'also exit 1 when more than n warnings are reported').argParser(warningCount),
    )
    .option('-q, --quiet', 'report only findings at or above the --fail-on level');
  colorOptions(lintCommand)
    .option('--no-ignore', 'walk folders without .gitignore files and the config\'s "ignore" patterns')
    .option('--verbose', 'say what was skipped, what was built and how long each rule took (on standard error)')
    .option(
      '--changed-since <ref>',
      'report only findings on lines changed since the merge base of <ref> and HEAD (git)',
    )
    .option('--baseline <file>', 'hide the findings recorded in this baseline file; report only new ones')
    .option('--write-baseline <file>', 'record every finding of this run in a baseline file (accepting them for now)')
    .addOption(
      new Option(
        '--category <name>',
        'SARIF automationDetails.id, to keep several uploads for one commit apart',
      ).argParser(category),
    )
    .option(
      '--map',
      'add the architecture map (Mermaid diagrams, collapsed) to the Markdown report; with --changed-since, only the services and tables the change touches',
    )
    .option(
      '--cache',
      'reuse the previous findings when no file, config or option changed (kept in the user cache folder)',
    )
    .option('--cache-location <dir>', 'keep the cache in this folder (implies --cache)')
    .addOption(
      new Option(
        '--threads <n>',
        'threads for parsing, this one included (default 1: no worker threads; findings are the same for any n)',
      ).argParser(threadCount),
    )
    .option(
      '--watch',
      'after the report, lint again whenever a file changes and print only what changed (Ctrl-C stops)',
    )
    .action(async (paths: string[], flags: LintFlags) => {
      if (flags.watch) {
        const { watchLint } = await import('./watch.js');
        exitCode = await watchLint(paths, flags, io);
        return;
      }
      const { runLint } = await import('./lint.js');
      exitCode = await runLint(paths, flags, io);
    });
  // `archlint --help` shows the default command's options too: most runs are `archlint [paths] [options]`.
  program.addHelpText('after', () => lintOptionsHelp(lintCommand));

  program
    .command('rules')
    .description('list the rules')
    .addOption(new Option('-f, --format <format>', 'pretty or json').choices(['pretty', 'json']).default('pretty'))
    .option('--color', 'colours even when not a terminal')
    .option('--no-color', 'no colours')
    .action(async (flags: { format: 'pretty' | 'json'; color?: boolean }) => {
      const { runRules } = await import('./rules.js');
      exitCode = await runRules(flags, io);
    });

  program
    .command('explain')
    .description('explain a rule: why it matters, how to fix it, examples')
    .argument('<rule-id>', 'e.g. db/indexed-foreign-keys')
    .option('--color', 'colours even when not a terminal')
    .option('--no-color', 'no colours')
    .action(async (id: string, flags: { color?: boolean }) => {
      const { runExplain } = await import('./explain.js');
      exitCode = await runExplain(id, flags, io);
    });

  program
    .command('routes')
    .description('list the HTTP routes archlint finds (method, path, file:line, service)')
    .argument('[paths...]', 'files or folders to read (default: the current folder)')
    .addOption(new Option('-f, --format <format>', 'pretty or json').choices(['pretty', 'json']).default('pretty'))
    .option('-c, --config <file>', 'use this config file instead of searching upward for one')
    .option('--color', 'colours even when not a terminal')
    .option('--no-color', 'no colours')
    .action(async (paths: string[], flags: { format: 'pretty' | 'json'; config?: string; color?: boolean }) => {
      const { runRoutes } = await import('./routes.js');
      exitCode = await runRoutes(paths, flags, io);
    });

  program
    .command('map')
    .description(
      'draw the architecture archlint found: services, endpoints, databases, tables and keys, with findings counted',
    )
    .argument('[paths...]', 'files or folders to read (default: the current folder)')
    .addOption(
      new Option(
        '-f, --format <format>',
        'mermaid (Markdown with Mermaid diagrams), html (one self-contained page: collapsible, searchable, zoomable) or json',
      )
        .choices(['mermaid', 'html', 'json'])
        .default('mermaid'),
    )
    .option('-c, --config <file>', 'use this config file instead of searching upward for one')
    .action(async (paths: string[], flags: { format: 'mermaid' | 'html' | 'json'; config?: string }) => {
      const { runMap } = await import('./map.js');
      exitCode = await runMap(paths, flags, io);
    });

  program
    .command('lsp')
    .description('run the language server for editors, over standard input/output (diagnostics, hover, quick fixes)')
    .option('--stdio', 'talk over standard input/output (the default, and the only transport)')
    .action(async () => {
      const { startServer } = await import('../lsp/server.js');
      // The server keeps the process alive until the editor sends "exit".
      startServer();
      exitCode = 0;
    });

  program
    .command('init')
    .description('write a commented starter archlint.config.yaml in the current folder')
    .option('--force', 'overwrite an existing archlint.config.yaml')
    .action(async (flags: { force?: boolean }) => {
      const { initConfig } = await import('../config/init.js');
      const written = initConfig(io.cwd, { force: flags.force === true });
      io.stdout.write(`Wrote ${written}\n`);
      exitCode = 0;
    });

  const code = await runProgram(program, argv, io, () => exitCode);
  // Whatever the command wrote to standard output must have arrived whole: a report cut short by
  // a full disk is a failed run (2), never a green one (0) or "findings" (1).
  const failure = await io.stdoutDone?.();
  if (failure === undefined) return code;
  // A reader that closes the pipe (`archlint | head`) chose to stop reading: say nothing, as Unix tools do.
  if ((failure as NodeJS.ErrnoException).code === 'EPIPE') return code;
  const { describeWriteError } = await import('./output.js');
  io.stderr.write(
    `archlint: cannot write to standard output: ${describeWriteError(failure)}; the output is incomplete\n`,
  );
  return 2;
}

async function runProgram(program: Command, argv: string[], io: CliIo, exitCode: () => number): Promise<number> {
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode();
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      )
        return 0;
      io.stderr.write(`archlint: ${error.message.replace(/^error: /, '').split('\n')[0]}\n`);
      return 2;
    }
    if (error instanceof UsageError || (error instanceof Error && error.name === 'OutputError')) {
      io.stderr.write(`archlint: ${error.message}\n`);
      return 2;
    }
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr.write(`archlint: internal error: ${message}\n`);
    return 2;
  }
}

/** The lint command's options, formatted as commander formats a command's own help. */
function lintOptionsHelp(lint: Command): string {
  const help = lint.createHelp();
  const options = help.visibleOptions(lint).filter((option) => option.long !== '--help');
  const width = Math.max(...options.map((option) => help.optionTerm(option).length));
  const lines = options.map(
    (option) => `  ${help.optionTerm(option).padEnd(width)}  ${help.optionDescription(option)}`,
  );
  return `\nLint options (archlint [paths...] is archlint lint [paths...]):\n${lines.join('\n')}\n`;
}
