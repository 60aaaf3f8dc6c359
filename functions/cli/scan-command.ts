import { runScan } from '../app/run-scan.js';
import { runTrackedScan } from '../app/tracked-scan.js';
import { FileStateStore } from '../state/file-state-store.js';
import { assertLocalEndpoints, createRegionClients, createStsClient } from '../collect/aws-clients.js';
import { loadPolicySet } from '../core/policy/policy-set.js';
import { exitCodeFor } from '../core/report/report.js';
import { renderTable } from '../core/report/render-table.js';
import { parse, POLICY_SET_OPTIONS, policySetFiles, severityOption, UsageError, type Io } from './args.js';
import { DEFAULT_POLICY_DIR } from './paths.js';

export async function runScanCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    region: { type: 'string', multiple: true },
    format: { type: 'string', default: 'table' },
    'fail-on': { type: 'string' },
    ...POLICY_SET_OPTIONS,
    cluster: { type: 'string', multiple: true },
    concurrency: { type: 'string' },
    all: { type: 'boolean', default: false },
    state: { type: 'string' },
    'remind-after-hours': { type: 'string' },
    quiet: { type: 'boolean', default: false },
  });
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (values.format !== 'table' && values.format !== 'json') throw new UsageError(`--format must be table or json (got "${values.format}")`);
  const failOn = severityOption(values['fail-on'], 'info');
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency > 0)) {
    throw new UsageError(`--concurrency must be a positive whole number (got "${values.concurrency}")`);
  }
  const regions = values.region?.length ? values.region : [io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION].filter((r): r is string => Boolean(r));
  if (regions.length === 0) throw new UsageError('no region: pass --region or set AWS_REGION');

  const { policies, exceptions } = loadPolicySet(policySetFiles(values, DEFAULT_POLICY_DIR));
  assertLocalEndpoints(io.env);
  const progress = values.quiet ? undefined : (message: string) => io.stderr(`eksguard: ${message}\n`);
  const reminderHours = values['remind-after-hours'] === undefined ? undefined : Number(values['remind-after-hours']);
  if (reminderHours !== undefined && !(reminderHours > 0)) throw new UsageError(`--remind-after-hours must be a positive number (got "${values['remind-after-hours']}")`);
  const now = new Date();
  const request = { regions, policies, exceptions, now, clusterNames: values.cluster, concurrency, onProgress: progress };
  const deps = { clientsFor: (region: string) => createRegionClients(region), sts: createStsClient(regions[0]!) };
  const { report } = values.state
    ? await runTrackedScan(
        { ...request, scanId: `cli-${now.toISOString()}-${process.pid}`, ...(reminderHours !== undefined ? { reminderHours } : {}) },
        { ...deps, store: new FileStateStore(values.state) },
      )
    : await runScan(request, deps);
  io.stdout(values.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderTable(report, { all: values.all }));
  return exitCodeFor(report, failOn);
}
