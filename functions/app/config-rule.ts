/**
 * The AWS Config custom rule use case: one Lambda behind every eksguard rule. A configuration
 * change invokes every rule at once; they share one collection of the cluster through the
 * state store: the first invocation claims the collection and runs a tracked scan of that
 * cluster (which also publishes its news), the others wait for the fresh record. A record that
 * is fresh enough (the hourly scan, or another rule's collection) is used as it is.
 */
import type { CompiledPolicy } from '../core/policy/compile.js';
import type { Severity } from '../core/severities.js';
import type { PolicyException } from '../core/policy/exceptions.js';
import { buildEvaluations, type ClusterVerdict } from '../core/aws-config/evaluations.js';
import { parseConfigRuleEvent, type ConfigRuleInvocation } from '../core/aws-config/config-event.js';
import type { ClusterRecord } from '../core/drift/record.js';
import type { PolicyResult } from '../core/results.js';
import type { EvaluationSink, Publisher, StateStore } from './ports.js';
import type { ScanDependencies } from './run-scan.js';
import { collectionDeadline, type RemainingTime } from './deadline.js';
import { runTrackedScan } from './tracked-scan.js';

export interface ConfigRuleDependencies extends ScanDependencies {
  region: string;
  /** Seconds of an invocation kept back from collecting (default 60). */
  timeReserveSeconds?: number;
  policies: readonly CompiledPolicy[];
  exceptions?: readonly PolicyException[];
  store: StateStore;
  publisher?: Publisher;
  alertMinSeverity?: Severity;
  alertDigestThreshold?: number;
  evaluations: EvaluationSink;
  /** A record younger than this is fresh enough for a change notification (default 5 minutes). */
  changeFreshnessSeconds?: number;
  /** ... and for the periodic notification (default 2 hours: the hourly scan keeps it fresh). */
  scheduledFreshnessSeconds?: number;
  /** How long to wait for another rule's collection (default 120 s). */
  waitSeconds?: number;
  clock?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  log?: (message: string, detail: Record<string, unknown>) => void;
}

/** A collection claim outlives the longest collection the function can run (its timeout). */
const CLAIM_SECONDS = 300;

/** What is known of a cluster for one policy: this invocation's own scan results first, else the store. */
interface Knowledge {
  records: ClusterRecord[];
  results?: readonly PolicyResult[];
}

function verdictFor(clusterName: string, policyId: string, knowledge: Knowledge): ClusterVerdict {
  const fresh = knowledge.results?.find((r) => r.cluster === clusterName && r.policy === policyId);
  if (fresh) return { clusterName, result: { status: fresh.status, message: fresh.message, ...(fresh.exception ? { exception: fresh.exception } : {}) } };
  const record = knowledge.records.find((r) => r.cluster === clusterName);
  if (record?.deletedAt) return { clusterName, gone: true };
  const finding = record?.findings[policyId];
  if (!finding) return { clusterName, result: { status: 'error', message: `no evaluation of ${policyId} is known for cluster ${clusterName}` } };
  if (finding.error) return { clusterName, result: { status: 'error', message: finding.error } };
  return { clusterName, result: { status: finding.status, message: finding.message, ...(finding.exception ? { exception: finding.exception } : {}) } };
}

export function createConfigRuleHandler(deps: ConfigRuleDependencies) {
  const now = () => (deps.clock ?? (() => new Date()))();
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  /** Records of the region fresh since `since`, collecting (once across all rules) when they are not. */
  async function freshKnowledge(invocation: ConfigRuleInvocation, clusterNames: readonly string[] | undefined, since: Date, collectUntil: Date | undefined): Promise<Knowledge> {
    const scope = { account: invocation.accountId, region: deps.region };
    const isFresh = (records: ClusterRecord[]) => {
      const live = records.filter((r) => !r.deletedAt);
      const wanted = clusterNames ?? live.map((r) => r.cluster);
      const byName = new Map(records.map((r) => [r.cluster, r]));
      return (clusterNames !== undefined || live.length > 0) && wanted.every((name) => (byName.get(name)?.updatedAt ?? '') >= since.toISOString());
    };
    const claimName = clusterNames ? `collect:${[...clusterNames].sort().join(',')}` : 'collect:*';
    const owner = `${invocation.ruleName}:${invocation.resultToken.slice(0, 32)}:${now().getTime()}`;
    const deadline = now().getTime() + (deps.waitSeconds ?? 120) * 1000;
    for (;;) {
      const records = await deps.store.loadRegion(scope.account, scope.region);
      if (isFresh(records)) return { records };
      const until = new Date(now().getTime() + CLAIM_SECONDS * 1000);
      if ((await deps.store.claim(scope, claimName, owner, until)) || now().getTime() > deadline) {
        try {
          const scanned = await runTrackedScan(
            {
              regions: [deps.region],
              policies: deps.policies,
              exceptions: deps.exceptions,
              now: now(),
              scanId: owner,
              ...(clusterNames ? { clusterNames } : {}),
              ...(collectUntil ? { deadline: collectUntil } : {}),
              ...(deps.alertMinSeverity ? { alertMinSeverity: deps.alertMinSeverity } : {}),
              ...(deps.alertDigestThreshold !== undefined ? { alertDigestThreshold: deps.alertDigestThreshold } : {}),
            },
            { ...deps, store: deps.store, ...(deps.publisher ? { publisher: deps.publisher } : {}) },
          );
          for (const f of scanned.publishFailures) deps.log?.('publish failed: the news stays queued for the next run', { cluster: f.outcome.key, reason: f.error });
          if (scanned.conflicts.length) deps.log?.('state written by an overlapping scan', { clusters: scanned.conflicts.map((c) => c.key.cluster) });
          return { records: await deps.store.loadRegion(scope.account, scope.region), results: scanned.report.results };
        } finally {
          await deps.store.releaseClaim(scope, claimName, owner);
        }
      }
      await sleep(1000);
    }
  }

  return async (event: unknown, context?: RemainingTime) => {
    const invocation = parseConfigRuleEvent(event);
    // A collection this invocation runs stops in time to put its evaluations before the timeout.
    const collectUntil = collectionDeadline(now(), context, deps.timeReserveSeconds);
    const { trigger } = invocation;
    const policyKnown = deps.policies.some((p) => p.id === invocation.policyId);
    let verdicts: ClusterVerdict[];
    let orderingTimestamp: Date;
    if (trigger.kind === 'scheduled') {
      orderingTimestamp = trigger.notificationTime;
      const since = new Date(now().getTime() - (deps.scheduledFreshnessSeconds ?? 7200) * 1000);
      const knowledge = policyKnown
        ? await freshKnowledge(invocation, undefined, since, collectUntil)
        : { records: await deps.store.loadRegion(invocation.accountId, deps.region) };
      verdicts = knowledge.records.map((r) => verdictFor(r.cluster, invocation.policyId, knowledge));
    } else {
      orderingTimestamp = trigger.captureTime;
      if (invocation.leftScope || trigger.deleted) {
        verdicts = [{ clusterName: trigger.clusterName, resourceId: trigger.resourceId, gone: true }];
      } else {
        const freshness = new Date(Math.max(trigger.captureTime.getTime(), now().getTime() - (deps.changeFreshnessSeconds ?? 300) * 1000));
        const knowledge = policyKnown ? await freshKnowledge(invocation, [trigger.clusterName], freshness, collectUntil) : { records: [] };
        verdicts = [{ ...verdictFor(trigger.clusterName, invocation.policyId, knowledge), resourceId: trigger.resourceId }];
      }
    }
    if (!policyKnown) {
      verdicts = verdicts.map((v) => ({
        ...v,
        gone: false,
        result: { status: 'not-applicable', message: `policy ${invocation.policyId} is disabled in the eksguard configuration` },
      }));
    }
    const evaluations = buildEvaluations({ policyId: invocation.policyId, orderingTimestamp, clusters: verdicts });
    await deps.evaluations.putEvaluations(invocation.resultToken, evaluations);
    deps.log?.('config rule evaluated', { rule: invocation.ruleName, trigger: trigger.kind, evaluations: evaluations.length });
    return { evaluations: evaluations.length };
  };
}
