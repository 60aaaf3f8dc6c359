/** The scan use case shared by the CLI and the Lambda handlers: collect, evaluate, apply exceptions. */
import type { CompiledPolicy } from '../core/policy/compile.js';
import { evaluateTargets } from '../core/policy/evaluate.js';
import { applyExceptions, unmatchedExceptions, type ExpiredException, type PolicyException, type UnmatchedException } from '../core/policy/exceptions.js';
import type { PolicyResult, ScanError } from '../core/results.js';
import { targetIdentity, type ScanTarget } from '../core/snapshot/target.js';
import type { Collector } from './ports.js';

export interface ScanRequest {
  regions: readonly string[];
  policies: readonly CompiledPolicy[];
  exceptions?: readonly PolicyException[];
  now: Date;
  clusterNames?: readonly string[];
  concurrency?: number;
  /** See CollectRequest: the end of collection, and the clusters to read first. */
  deadline?: Date;
  firstClusters?: readonly string[];
  /** The clusters to read first in a region, once the account is known (the tracked scan asks its store). */
  firstClustersOf?: (account: string, region: string) => Promise<readonly string[]>;
  onProgress?: (message: string) => void;
}

export interface ScanDependencies {
  collector: Collector;
}

/** What one scan found; `buildReport` (core/report) turns it into the JSON report, once, at the end. */
export interface ScanResults {
  account: string;
  generatedAt: Date;
  regions: readonly string[];
  results: PolicyResult[];
  errors: ScanError[];
  expiredExceptions: ExpiredException[];
  /** Full scans only: exceptions whose cluster pattern matched no cluster of the scanned account and regions. */
  unmatchedExceptions: UnmatchedException[];
  targets: ScanTarget[];
  /** Clusters that turned out not to exist (deleted since listed, or asked for by name). */
  vanished: { account: string; region: string; cluster: string }[];
}

export async function runScan(request: ScanRequest, deps: ScanDependencies): Promise<ScanResults> {
  let account = 'unknown';
  const errors: ScanError[] = [];
  try {
    account = await deps.collector.callerAccount();
  } catch (error) {
    errors.push({ region: 'global', message: (error as Error).message });
  }
  // Regions in parallel: AWS throttles per region, and each region bounds its own concurrency.
  const collections = await Promise.all(
    request.regions.map(async (region) => {
      const firstClusters = request.firstClusters ?? (await request.firstClustersOf?.(account, region));
      return deps.collector.collectRegion(region, {
        account,
        now: request.now,
        concurrency: request.concurrency,
        clusterNames: request.clusterNames,
        ...(request.deadline ? { deadline: request.deadline } : {}),
        ...(firstClusters?.length ? { firstClusters } : {}),
        onProgress: request.onProgress,
      });
    }),
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
  return { account, generatedAt: request.now, regions: request.regions, results, errors, expiredExceptions: expired, unmatchedExceptions: unmatched, targets, vanished };
}
