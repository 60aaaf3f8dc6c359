/**
 * eksguard command line: `eksguard scan`, `eksguard policies check|test`, `eksguard schema`.
 * stdout carries only the requested output (the report); progress and problems go to stderr.
 */
import { PolicyLoadError, PolicyLoadErrors } from '../core/policy/errors.js';
import { EXIT } from '../core/report/report.js';
import { UsageError, type Io } from './args.js';
import { runCatalogCommand } from './catalog-command.js';
import { runPoliciesCheck, runPoliciesTest } from './policies-command.js';
import { runScanCommand } from './scan-command.js';
import { runSchemaCommand } from './schema-command.js';

const USAGE = `usage:
  eksguard scan [--region R ...] [--format table|json|html] [--output FILE] [--fail-on SEVERITY] [--cluster NAME ...]
                [--policies DIR] [--config FILE] [--exceptions FILE]
                [--state FILE [--remind-after-hours H] [--sns-topic ARN | --print-messages]]
                [--concurrency N] [--all] [--quiet]
  eksguard policies check [--policies DIR] [--config FILE] [--exceptions FILE] [--strict]
  eksguard policies test [--policies DIR]
  eksguard policies catalog [--write]
  eksguard schema snapshot|policy|--write

exit codes: 0 nothing failed, 1 a result at or above --fail-on failed, 2 bad usage or invalid
policy files (with --strict also expired exceptions), 3 the scan had errors but no failures.`;

export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'scan':
        return await runScanCommand(rest, io);
      case 'policies':
        if (rest[0] === 'check') return runPoliciesCheck(rest.slice(1), io);
        if (rest[0] === 'test') return runPoliciesTest(rest.slice(1), io);
        if (rest[0] === 'catalog') return runCatalogCommand(rest.slice(1), io);
        throw new UsageError(`unknown "policies" subcommand "${rest[0] ?? ''}": use check, test or catalog`);
      case 'schema':
        return runSchemaCommand(rest, io);
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.stdout(`${USAGE}\n`);
        return command === undefined ? EXIT.usage : EXIT.ok;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`eksguard: ${error.message}\n${USAGE}\n`);
      return EXIT.usage;
    }
    if (error instanceof PolicyLoadErrors || error instanceof PolicyLoadError) {
      io.stderr(`${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
}
