/**
 * eksguard command line: `eksguard scan`, `eksguard policies check|test|catalog`, `eksguard schema`.
 * stdout carries only the requested output (the report); progress and problems go to stderr.
 *
 * Every command answers --help (exit 0) and --version. A usage error is one line on stderr
 * naming what was wrong and the --help to read (exit 2).
 */
import { Command, CommanderError } from 'commander';
import { PolicyLoadError, PolicyLoadErrors } from '../core/policy/errors.js';
import { EXIT } from '../core/report/report.js';
import { AwsAccessError, type Io } from './args.js';
import { PACKAGE_VERSION } from './paths.js';
import { policiesCommand } from './policies-command.js';
import { scanCommand } from './scan-command.js';
import { schemaCommand } from './schema-command.js';

const commandPath = (command: Command): string => {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
};

/** commander's "error: unknown option '--x'\n(Did you mean --y?)" as one line with the way to help. */
export const usageLine = (path: string, message: string): string =>
  `${path}: ${message
    .replace(/^error: /, '')
    .replace(/\s*\n\s*/g, ' ')
    .trim()
    .replace(/\.$/, '')}. See '${path} --help'.\n`;

/** Settings every command shares, applied after the tree is built (commander copies few of them to subcommands). */
function configure(command: Command, io: Io): void {
  command
    .version(PACKAGE_VERSION, '-V, --version', 'print the version of eksguard')
    .helpOption('-h, --help', 'show this help')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      outputError: (message, write) => write(usageLine(commandPath(command), message)),
      getOutHelpWidth: () => io.columns ?? 100,
      getErrHelpWidth: () => io.columns ?? 100,
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    });
  for (const sub of command.commands) configure(sub, io);
}

export function buildProgram(io: Io, setCode: (code: number) => void): Command {
  const program = new Command('eksguard')
    .description('Policy-as-code and drift detection for Amazon EKS: scan clusters, check and test policies.')
    .addCommand(scanCommand(io, setCode))
    .addCommand(policiesCommand(io, setCode))
    .addCommand(schemaCommand(io, setCode))
    .addHelpText(
      'after',
      `
Examples:
  eksguard scan --region eu-west-1                 scan every cluster of a region
  eksguard scan --help                             every option of the scan
  eksguard policies test                           run the policy test cases

Exit codes: 0 nothing failed, 1 a result at or above --fail-on failed, 2 bad usage or invalid
policy files, 3 the scan could not read something (no credentials, access denied) and nothing failed.
Docs: README.md, functions/README.md (the CLI), policies/README.md (the catalog).`,
    );
  configure(program, io);
  return program;
}

export async function main(argv: string[], io: Io): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.ok;
      if (error.code === 'commander.help' && error.exitCode === 0) return EXIT.ok; // `eksguard help scan`
      // Help shown because a command was left out (`eksguard`, `eksguard policies`), or a usage error.
      return EXIT.usage;
    }
    if (error instanceof PolicyLoadErrors || error instanceof PolicyLoadError) {
      io.stderr(`${error.message}\n`);
      return EXIT.usage;
    }
    if (error instanceof AwsAccessError) {
      io.stderr(`eksguard: ${error.message}\n`);
      return EXIT.scanErrors;
    }
    throw error;
  }
}
