/** `eksguard scan`: its options and help; the scan itself is in scan-run.ts, loaded when it runs. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { SEVERITIES, type Severity } from '../core/severities.js';
import { addPolicySetOptions, collect, positiveNumber, runAction, withDefault, type Io, type PolicySetOptions } from './args.js';
import { FORMAT_NAMES, FORMATS, type FormatName } from './formats.js';

export interface ScanOptions extends PolicySetOptions {
  region?: string[];
  profile?: string;
  cluster?: string[];
  format: FormatName;
  output?: string;
  failOn: Severity;
  concurrency?: number;
  state?: string;
  remindAfterHours?: number;
  snsTopic?: string;
  printMessages?: boolean;
  securityHub?: boolean;
  alertDigestThreshold?: number;
  all?: boolean;
  color?: boolean;
  quiet?: boolean;
}

/** 0 or more clusters. */
function wholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`expected a whole number of clusters (0 or more), got "${value}"`);
  return n;
}

export function scanCommand(io: Io, setCode: (code: number) => void): Command {
  const command = new Command('scan')
    .summary('scan the EKS clusters of an account against the policies')
    .description(
      'Snapshot every EKS cluster of the regions (read-only List/Describe calls), evaluate the policies, ' +
        'and print one result per policy and cluster. stdout carries only the report; progress and ' +
        'problems go to stderr.',
    )
    .addOption(
      new Option(
        '--region <region>',
        withDefault(
          'region to scan; repeat or comma-separate for several (checked against the regions the AWS SDK knows)',
          "$AWS_REGION, $AWS_DEFAULT_REGION, else the profile's region",
        ),
      ).argParser(collect),
    )
    .addOption(new Option('--profile <name>', withDefault('AWS profile from ~/.aws/config or ~/.aws/credentials', '$AWS_PROFILE, else the default credential chain')))
    .addOption(
      new Option(
        '--cluster <name>',
        withDefault('only this cluster; a glob (* and ?) like in exceptions; repeatable. A name no region has is an error (exit 2)', 'every cluster'),
      ).argParser(collect),
    )
    .addOption(new Option('--format <format>', FORMAT_NAMES.map((f) => `${f}: ${FORMATS[f].description}`).join('; ')).choices(FORMAT_NAMES).default('table'))
    .addOption(new Option('--output <file>', withDefault('write the report to this file (no colour, no wrapping)', 'stdout')))
    .addOption(new Option('--fail-on <severity>', 'lowest severity whose failure makes the exit code 1').choices(SEVERITIES).default('info'));
  addPolicySetOptions(command, { withSettings: true });
  command
    .addOption(new Option('--concurrency <n>', withDefault('clusters read in parallel per region', '32')).argParser(positiveNumber('clusters', true)))
    .addOption(
      new Option('--state <file>', withDefault('keep state in this JSON file between scans: report only drift and changes of findings', 'no state: every finding is reported')),
    )
    .addOption(
      new Option('--remind-after-hours <h>', withDefault('with --state: report a still-failing finding again after this many hours', 'never')).argParser(
        positiveNumber('hours', false),
      ),
    )
    .addOption(new Option('--sns-topic <arn>', "with --state: publish each cluster's news to this SNS topic"))
    .addOption(new Option('--print-messages', 'with --state: print the Slack and email messages it would publish, after the table'))
    .addOption(
      new Option(
        '--alert-digest-threshold <n>',
        withDefault('with --state: more clusters with news than this in one account/region make one digest instead of a message each', '10'),
      ).argParser(wholeNumber),
    )
    .addOption(new Option('--security-hub', "with --state: import new, resolved and changed findings into AWS Security Hub (the account's default product, each cluster's region)"))
    .addOption(new Option('--all', 'table: list passing and not-applicable results too'))
    .addOption(new Option('--color', withDefault('colour the table', 'when stdout is a terminal and NO_COLOR is not set')))
    .addOption(new Option('--no-color', 'no colour'))
    .addOption(new Option('--quiet', 'no progress lines on stderr'))
    .addHelpText(
      'after',
      `
Examples:
  eksguard scan --region eu-west-1 --region us-east-1
  eksguard scan --profile prod --cluster 'payments-*' --fail-on high
  eksguard scan --policies ./team-policies --format json --output report.json
  eksguard scan --state .eksguard-state.json --print-messages     # only what changed since the last scan

Exit codes:
  0  nothing at or above --fail-on failed
  1  a result at or above --fail-on failed
  2  bad usage, invalid policy files, a --region or --cluster that does not exist
  3  no usable credentials or profile, or something could not be read (and nothing failed)

Credentials come from the standard AWS chain (environment, --profile or AWS_PROFILE, SSO, container
or instance role); AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> are honoured.`,
    );
  // The scan and its AWS SDK load only when it runs: `--help` stays fast.
  runAction<ScanOptions>(command, async (options) => (await import('./scan-run.js')).scan(options, io), setCode);
  return command;
}
