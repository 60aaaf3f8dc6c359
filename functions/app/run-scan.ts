/** The scan use case shared by the CLI and the Lambda handlers: collect, evaluate, report. */
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import type { CompiledPolicy } from '../core/policy/compile.js';
import { evaluateTargets } from '../core/policy/evaluate.js';
import { applyExceptions, unmatchedExceptions, type PolicyException } from '../core/policy/exceptions.js';
import { buildReport, type ScanReport } from '../core/report/report.js';
import type { ScanError } from '../core/results.js';
import { targetIdentity, type ScanTarget } from '../core/snapshot/target.js';
import type { RegionClients } from '../collect/aws-clients.js';
import { collectRegion } from '../collect/collect-region.js';
import { describeError } from '../collect/lookup.js';

export interface ScanRequest {
  regions: readonly string[];
  policies: readonly CompiledPolicy[];
  exceptions?: readonly PolicyException[];
  now: Date;
  clusterNames?: readonly string[];
  concurrency?: number;
  onProgress?: (message: string) => void;
}

export interface ScanDependencies {
  clientsFor(region: string): RegionClients;
  sts: STSClient;
}

export interface ScanOutcome {
  report: ScanReport;
  targets: ScanTarget[];
  /** Clusters that turned out not to exist (deleted since listed, or asked for by name). */
  vanished: { account: string; region: string; cluster: string }[];
}

export async function runScan(request: ScanRequest, deps: ScanDependencies): Promise<ScanOutcome> {
  let account = 'unknown';
  const errors: ScanError[] = [];
  try {
    account = (await deps.sts.send(new GetCallerIdentityCommand({}))).Account ?? account;
  } catch (error) {
    errors.push({ region: 'global', message: describeError(error, 'sts:GetCallerIdentity') });
  }
  // Regions in parallel: AWS throttles per region, and each region bounds its own concurrency.
  const collections = await Promise.all(
    request.regions.map((region) =>
      collectRegion(deps.clientsFor(region), {
        account,
        now: request.now,
        concurrency: request.concurrency,
        clusterNames: request.clusterNames,
        onProgress: request.onProgress,
      }),
    ),
  );
  const targets: ScanTarget[] = collections.flatMap((c) => c.targets);
  const vanished = collections.flatMap((c) => c.vanished.map((cluster) => ({ account, region: c.region, cluster })));
  errors.push(...collections.flatMap((c) => c.errors));
  const evaluated = evaluateTargets(request.policies, targets, { now: request.now });
  const { results, expired } = applyExceptions(evaluated, request.exceptions ?? [], request.now);
  // A scan of named clusters sees only some: it cannot tell that an exception matches none.
  const unmatched = request.clusterNames
    ? []
    : unmatchedExceptions(request.exceptions ?? [], targets.map(targetIdentity), {
        account,
        scannedRegions: request.regions,
        listedRegions: request.regions.filter((region) => !errors.some((e) => e.region === region)),
      });
  return {
    report: buildReport({ account, generatedAt: request.now, regions: request.regions, results, errors, expiredExceptions: expired, unmatchedExceptions: unmatched }),
    targets,
    vanished,
  };
}
