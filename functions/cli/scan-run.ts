/** The scan behind `eksguard scan`: the checks made before any AWS call, then the scan and its report. */
import { writeFileSync } from 'node:fs';
import { runScan } from '../app/run-scan.js';
import { runTrackedScan, UnknownAccountError } from '../app/tracked-scan.js';
import { assertLocalEndpoints, createRegionClients, type RegionClients } from '../collect/aws-clients.js';
import { listClusterNames } from '../collect/eks-reader.js';
import { buildReport, EXIT, exitCodeFor } from '../core/report/report.js';
import { loadPolicySet } from '../policy-files/policy-set.js';
import { PreviewPublisher } from '../publishers/preview-publisher.js';
import { checkStateFile, FileStateStore, StateFileError, StateLockedError } from '../state/file-state-store.js';
import { awsCollector, clientOptions, securityHubExporter, snsPublisher } from '../wiring.js';
import { policyIndex, policyInfo } from '../core/report/policy-info.js';
import { policySetFiles, UsageError, type Io } from './args.js';
import { resolveCredentials, resolveRegions } from './aws-session.js';
import { selectClusters } from './cluster-selection.js';
import { FORMATS } from './formats.js';
import type { ScanOptions } from './scan-command.js';
import { colourWanted, outputWidth, progressReporter, tableStyle } from './terminal.js';
import { noticeThrottling } from './throttle-notice.js';

const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/;
/** A cluster name, or a glob of one (`*`, `?`). */
const CLUSTER_PATTERN = /^[0-9A-Za-z*?][A-Za-z0-9_*?-]{0,99}$/;

export async function scan(options: ScanOptions, io: Io): Promise<number> {
  // Everything that can be checked without AWS, first.
  const topicArn = options.snsTopic;
  if ((topicArn || options.printMessages) && !options.state) throw new UsageError('--sns-topic and --print-messages need --state FILE: only changes are published');
  if (topicArn && !SNS_TOPIC_ARN.test(topicArn)) throw new UsageError(`--sns-topic: "${topicArn}" is not an SNS topic ARN`);
  if (options.printMessages && !FORMATS[options.format].forPeople && !options.output) {
    throw new UsageError(`--print-messages goes with --format table, or with --output FILE (the ${options.format} report stays parseable)`);
  }
  if (options.remindAfterHours !== undefined && !options.state) throw new UsageError('--remind-after-hours needs --state FILE');
  if (options.alertDigestThreshold !== undefined && !options.state) throw new UsageError('--alert-digest-threshold needs --state FILE');
  if (options.securityHub && !options.state) throw new UsageError('--security-hub needs --state FILE: only new, resolved and changed findings are imported');
  for (const pattern of options.cluster ?? []) {
    if (!CLUSTER_PATTERN.test(pattern)) throw new UsageError(`--cluster: "${pattern}" is not an EKS cluster name (letters, digits, - and _) or a glob of one (* and ?)`);
  }
  const profile = options.profile ?? io.env.AWS_PROFILE;
  const regions = await resolveRegions(options.region ?? [], io.env, profile);
  if (options.state) checkStateFileOrExplain(options.state);
  const { policies, exceptions } = loadPolicySet(policySetFiles(options));
  assertLocalEndpoints(io.env);

  // Then what needs AWS: credentials (exit 3 if none), the clusters named by --cluster (exit 2 if none).
  const credentials = await resolveCredentials(profile, io.env);
  const progress = options.quiet ? () => {} : progressReporter(io);
  const clients = new Map<string, RegionClients>();
  const clientsFor = (region: string) => {
    let c = clients.get(region);
    if (!c) {
      c = noticeThrottling(createRegionClients(region, clientOptions(credentials)), (r, operation, throttled) =>
        progress(`${r}: AWS is throttling ${operation} (${throttled} throttled calls so far); waiting and retrying`, `throttle:${r}`),
      );
      clients.set(region, c);
    }
    return c;
  };
  let scanRegions = regions;
  let clusterNames: string[] | undefined;
  if (options.cluster?.length) {
    progress(`looking up ${options.cluster.length === 1 ? `cluster ${options.cluster[0]}` : `${options.cluster.length} cluster names`} in ${regions.join(', ')}`);
    ({ regions: scanRegions, clusterNames } = await selectClusters(options.cluster, regions, (region) => listClusterNames(clientsFor(region).eks)));
  }

  const now = new Date();
  const request = { regions: scanRegions, policies, exceptions, now, clusterNames, concurrency: options.concurrency, onProgress: (m: string) => progress(m) };
  const deps = { collector: awsCollector(scanRegions[0] ?? regions[0]!, { credentials, clientsFor }) };
  const preview = new PreviewPublisher();
  const tracked = options.state
    ? await runTrackedScanOrExplain(
        io,
        {
          ...request,
          scanId: `cli-${now.toISOString()}-${process.pid}`,
          ...(options.remindAfterHours !== undefined ? { reminderHours: options.remindAfterHours } : {}),
          ...(options.alertDigestThreshold !== undefined ? { alertDigestThreshold: options.alertDigestThreshold } : {}),
        },
        {
          ...deps,
          store: new FileStateStore(options.state),
          ...(options.securityHub ? { exporter: { exporter: securityHubExporter({ credentials }), policies: policyIndex(policies.map(policyInfo)) } } : {}),
          ...(topicArn ? { publisher: snsPublisher(topicArn, { credentials }) } : options.printMessages ? { publisher: preview } : {}),
        },
      )
    : undefined;
  if (tracked === null) return EXIT.scanErrors;
  const results = tracked ? undefined : await runScan(request, deps);
  const report = tracked?.report ?? buildReport(results!);
  const targets = tracked?.targets ?? results!.targets;

  const toFile = options.output !== undefined;
  const colour = !toFile && colourWanted(io, options.color);
  const width = toFile ? undefined : outputWidth(io);
  const rendered = FORMATS[options.format].render(report, {
    targets,
    all: options.all === true,
    ...(width ? { width } : {}),
    style: tableStyle(colour),
    policies: policies.map(policyInfo),
  });
  if (toFile) {
    (io.writeFile ?? writeFileSync)(options.output!, rendered);
    progress(`wrote the ${options.format} report to ${options.output}`);
  } else io.stdout(rendered);
  if (options.printMessages) io.stdout(preview.render());
  if (tracked && options.securityHub) progress(`Security Hub: imported ${tracked.exported} finding(s)`);
  if (!FORMATS[options.format].forPeople) {
    for (const e of report.unmatchedExceptions) io.stderr(`eksguard: warning: ${e.location}: the exception for ${e.policy} on "${e.cluster}" matches no cluster of this scan\n`);
  }
  for (const failure of tracked?.stateFailures ?? []) {
    io.stderr(
      `eksguard: could not save the state of ${failure.outcome.key.cluster}: ${failure.error} (${failure.published ? 'its news was published and may be published once more' : 'nothing was published; the next run tries again'})\n`,
    );
  }
  for (const failure of tracked?.publishFailures ?? []) {
    io.stderr(`eksguard: could not publish the news of ${failure.outcome.key.cluster}: ${failure.error} (it stays in the state and is published on the next run)\n`);
  }
  return exitCodeFor(report, options.failOn);
}

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
