import { runScan, type ScanResults } from '../app/run-scan.js';
import { runTrackedScan, UnknownAccountError } from '../app/tracked-scan.js';
import { checkStateFile, StateFileError, StateLockedError } from '../state/file-state-store.js';
import { CLUSTER_NAME, REGION_NAME } from '../core/aws-names.js';
import { PreviewPublisher } from '../publishers/preview-publisher.js';
import { assertLocalEndpoints } from '../collect/aws-clients.js';
import { loadPolicySet } from '../policy-files/policy-set.js';
import { buildReport, EXIT, exitCodeFor } from '../core/report/report.js';
import { awsCollector, fileStateStore, snsPublisher } from '../wiring.js';
import { writeFileSync } from 'node:fs';
import { renderTable } from '../core/report/render-table.js';
import { renderHtml } from '../core/report/html/html-report.js';
import type { ScanReport } from '../core/report/report.js';
import type { ScanTarget } from '../core/snapshot/target.js';
import { parse, POLICY_SET_OPTIONS, policySetFiles, severityOption, UsageError, type Io } from './args.js';
import { DEFAULT_POLICY_DIR } from './paths.js';

/** The renderings of `--format`: each a function of the report and what the scan read. */
const REPORT_FORMATS: Record<string, (scan: { report: ScanReport; targets: readonly ScanTarget[]; all: boolean }) => string> = {
  table: ({ report, all }) => renderTable(report, { all }),
  json: ({ report }) => `${JSON.stringify(report, null, 2)}\n`,
  html: renderHtml,
};

export async function runScanCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    region: { type: 'string', multiple: true },
    format: { type: 'string', default: 'table' },
    output: { type: 'string' },
    'fail-on': { type: 'string' },
    ...POLICY_SET_OPTIONS,
    cluster: { type: 'string', multiple: true },
    concurrency: { type: 'string' },
    all: { type: 'boolean', default: false },
    state: { type: 'string' },
    'sns-topic': { type: 'string' },
    'print-messages': { type: 'boolean', default: false },
    'remind-after-hours': { type: 'string' },
    quiet: { type: 'boolean', default: false },
  });
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const format = Object.hasOwn(REPORT_FORMATS, values.format) ? REPORT_FORMATS[values.format] : undefined;
  if (!format) throw new UsageError(`--format must be one of ${Object.keys(REPORT_FORMATS).join(', ')} (got "${values.format}")`);
  const failOn = severityOption(values['fail-on'], 'info');
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency > 0)) {
    throw new UsageError(`--concurrency must be a positive whole number (got "${values.concurrency}")`);
  }
  const regions = values.region?.length ? values.region : [io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION].filter((r): r is string => Boolean(r));
  if (regions.length === 0) throw new UsageError('no region: pass --region or set AWS_REGION');
  for (const region of regions) if (!REGION_NAME.test(region)) throw new UsageError(`--region: "${region}" is not an AWS region name (e.g. us-east-1)`);
  for (const name of values.cluster ?? []) if (!CLUSTER_NAME.test(name)) throw new UsageError(`--cluster: "${name}" is not an EKS cluster name (1-100 letters, digits, - and _, starting with a letter or digit)`);
  if (values.state) checkStateFileOrExplain(values.state);

  const { policies, exceptions } = loadPolicySet(policySetFiles(values, DEFAULT_POLICY_DIR));
  assertLocalEndpoints(io.env);
  const progress = values.quiet ? undefined : (message: string) => io.stderr(`eksguard: ${message}\n`);
  const reminderHours = values['remind-after-hours'] === undefined ? undefined : Number(values['remind-after-hours']);
  if (reminderHours !== undefined && !(reminderHours > 0)) throw new UsageError(`--remind-after-hours must be a positive number (got "${values['remind-after-hours']}")`);
  const now = new Date();
  const request = { regions, policies, exceptions, now, clusterNames: values.cluster, concurrency, onProgress: progress };
  const deps = { collector: awsCollector(regions[0]!) };
  const topicArn = values['sns-topic'];
  if ((topicArn || values['print-messages']) && !values.state) throw new UsageError('--sns-topic and --print-messages need --state FILE: only changes are published');
  if (topicArn && !/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/.test(topicArn)) throw new UsageError(`--sns-topic: "${topicArn}" is not an SNS topic ARN`);
  if (values['print-messages'] && values.format !== 'table' && !values.output) throw new UsageError('--print-messages goes with --format table, or with --output FILE (the report stays parseable)');
  const preview = new PreviewPublisher();
  const tracked = values.state
    ? await runTrackedScanOrExplain(
        io,
        { ...request, scanId: `cli-${now.toISOString()}-${process.pid}`, ...(reminderHours !== undefined ? { reminderHours } : {}) },
        {
          ...deps,
          store: fileStateStore(values.state),
          ...(topicArn ? { publisher: snsPublisher(topicArn) } : values['print-messages'] ? { publisher: preview } : {}),
        },
      )
    : undefined;
  if (tracked === null) return EXIT.scanErrors;
  const { report, targets } = tracked ?? withReport(await runScan(request, deps));
  const rendered = format({ report, targets, all: values.all });
  if (values.output) {
    writeFileSync(values.output, rendered);
    progress?.(`wrote the ${values.format} report to ${values.output}`);
  } else io.stdout(rendered);
  if (values['print-messages']) io.stdout(preview.render());
  if (values.format === 'json') {
    for (const e of report.unmatchedExceptions) io.stderr(`eksguard: warning: ${e.location}: the exception for ${e.policy} on "${e.cluster}" matches no cluster of this scan\n`);
  }
  for (const failure of tracked?.stateFailures ?? []) {
    io.stderr(`eksguard: could not save the state of ${failure.outcome.key.cluster}: ${failure.error} (${failure.published ? 'its news was published and may be published once more' : 'nothing was published; the next run tries again'})\n`);
  }
  for (const failure of tracked?.publishFailures ?? []) {
    io.stderr(`eksguard: could not publish the news of ${failure.outcome.key.cluster}: ${failure.error} (it stays in the state and is published on the next run)\n`);
  }
  return exitCodeFor(report, failOn);
}

const withReport = (scan: ScanResults) => ({ report: buildReport(scan), targets: scan.targets });

/** Checked before any work: a state file that cannot be used is bad input (exit 2), not a crash after the scan. */
function checkStateFileOrExplain(file: string): void {
  try {
    checkStateFile(file);
  } catch (error) {
    if (error instanceof StateFileError) throw new UsageError(`--state ${error.message}`);
    throw error;
  }
}

/** A tracked scan, or null (with the reason on stderr) when the account could not be identified or the state could not be kept. */
async function runTrackedScanOrExplain(io: Io, ...args: Parameters<typeof runTrackedScan>): Promise<Awaited<ReturnType<typeof runTrackedScan>> | null> {
  try {
    return await runTrackedScan(...args);
  } catch (error) {
    if (!(error instanceof UnknownAccountError || error instanceof StateLockedError || error instanceof StateFileError)) throw error;
    io.stderr(`eksguard: ${error.message}\n`);
    return null;
  }
}
