/**
 * The pure core: snapshots in, one result per (policy, cluster) out. No AWS, no environment,
 * the clock is an argument. Same input, same results in the same order.
 */
import type { PolicyResult, ResultStatus } from '../results.js';
import type { ClusterSnapshot } from '../snapshot/schema.js';
import { compareTargets, targetIdentity, type ScanTarget } from '../snapshot/target.js';
import { type CompiledPolicy, variableFailure } from './compile.js';
import { matchesAnyGlob } from './glob.js';
import { snapshotEnvironment } from './cel-environment.js';
import { controlLabels } from '../report/controls.js';

export interface EvaluateOptions {
  now: Date;
}

function inScope(policy: CompiledPolicy, snapshot: ClusterSnapshot): string | undefined {
  const { clusters, excludeClusters, tags, accounts, regions } = policy.scope;
  const name = snapshot.cluster.name;
  if (clusters && !matchesAnyGlob(name, clusters)) return `cluster name matches none of ${clusters.join(', ')}`;
  if (excludeClusters && matchesAnyGlob(name, excludeClusters)) return 'cluster is excluded by the policy scope';
  if (accounts && !accounts.includes(snapshot.account)) return `account ${snapshot.account} is out of the policy scope`;
  if (regions && !regions.includes(snapshot.region)) return `region ${snapshot.region} is out of the policy scope`;
  for (const [key, value] of Object.entries(tags ?? {})) {
    if (snapshot.cluster.tags[key] !== value) return `cluster tag ${key}=${value} is required by the policy scope`;
  }
  return undefined;
}

export interface RemediationContext {
  cluster: string;
  region: string;
  account: string;
  vpc: string;
}

/** The remediation with its CLI command filled in ({{cluster}}, {{region}}, {{account}}, {{vpc}}). */
export function remediationText(policy: CompiledPolicy, context: RemediationContext, filled?: string): string {
  const { description, cli } = policy.remediation;
  if (filled) return `${description.trim()} Run: ${filled}`;
  if (!cli) return description.trim();
  const command = cli.trim().replace(/\{\{(cluster|region|account|vpc)\}\}/g, (_, key: keyof RemediationContext) => context[key] || `<${key}>`);
  return `${description.trim()} Run: ${command}`;
}

/**
 * `context` holds the snapshot's CEL values and is shared by the policies of one cluster, one
 * after the other: each sets its own `params` and `variables` in it.
 */
function evaluateOne(policy: CompiledPolicy, snapshot: ClusterSnapshot, context: Record<string, unknown>, hasErrors: boolean): Outcome {
  const outOfScope = inScope(policy, snapshot);
  if (outOfScope) return { status: 'not-applicable', message: outOfScope };
  const unreadable = hasErrors ? policy.sections.filter((s) => snapshot.errors[s] !== undefined) : [];
  if (unreadable.length) {
    // What the readable data already shows out of reach (no hybrid nodes, private access off...)
    // is not-applicable, whatever else could not be read.
    const early = { ...context, params: policy.params, variables: {} };
    for (const condition of policy.applicability) {
      if (!condition.sections || condition.sections.some((s) => snapshot.errors[s] !== undefined)) continue;
      try {
        if (condition.program(early) !== true) return { status: 'not-applicable', message: condition.reason };
      } catch {
        // Decided below, with the error of the unreadable sections.
      }
    }
    return { status: 'error', message: unreadable.map((s) => `could not read ${s}: ${snapshot.errors[s]}`).join('; ') };
  }
  context.params = policy.params;
  const computed = policy.newVariables(context);
  context.variables = computed;
  const outcome = decide(policy, context);
  const failure = variableFailure(computed);
  if (failure && outcome.status !== 'error') return evaluationError(failure);
  return outcome;
}

const evaluationError = (error: unknown): Outcome => ({
  status: 'error',
  message: `policy evaluation failed: ${(error as Error).message.split('\n')[0]}`,
});

/** Conditions first, so that a policy that does not apply computes none of its variables. */
function decide(policy: CompiledPolicy, context: Record<string, unknown>): Outcome {
  try {
    for (const condition of policy.applicability) {
      if (condition.program(context) !== true) return { status: 'not-applicable', message: condition.reason };
    }
    const failures: string[] = [];
    for (const validation of policy.validations) {
      if (validation.program(context) !== true) failures.push(validation.message(context));
    }
    if (failures.length) return { status: 'fail', message: failures.join('; '), ...commandOf(policy, context) };
    const unseen: string[] = [];
    for (const check of policy.unverifiable) {
      if (check.program(context) !== true) unseen.push(check.message(context));
    }
    return unseen.length ? { status: 'error', message: unseen.join('; ') } : { status: 'pass', message: policy.passMessage };
  } catch (error) {
    return evaluationError(error);
  }
}

type Outcome = { status: ResultStatus; message: string; command?: string };

/** The failing cluster's own command (remediation.cliExpression); the template's when it yields none or fails. */
function commandOf(policy: CompiledPolicy, context: Record<string, unknown>): { command?: string } {
  if (!policy.remediationCommand) return {};
  try {
    const command = String(policy.remediationCommand(context) ?? '').trim();
    return command ? { command } : {};
  } catch {
    return {};
  }
}

/** Evaluates every policy on one target: a snapshot is converted to CEL values once for all policies. */
function outcomesFor(target: ScanTarget, policies: readonly CompiledPolicy[], now: Date): Outcome[] {
  if (target.kind === 'unreadable') {
    return policies.map(() => ({ status: 'error', message: `cluster could not be read: ${target.reason}` }));
  }
  const context: Record<string, unknown> = { ...snapshotEnvironment().toVariables(target.snapshot), now, params: undefined, variables: undefined };
  const hasErrors = Object.keys(target.snapshot.errors).length > 0;
  return policies.map((policy) => evaluateOne(policy, target.snapshot, context, hasErrors));
}

export function evaluateTargets(policies: readonly CompiledPolicy[], targets: readonly ScanTarget[], options: EvaluateOptions): PolicyResult[] {
  const ordered = [...policies].sort((a, b) => a.id.localeCompare(b.id));
  const results: PolicyResult[] = [];
  const controls = new Map(ordered.map((p) => [p.id, controlLabels(p.document.controls)]));
  for (const target of [...targets].sort(compareTargets)) {
    const identity = targetIdentity(target);
    const vpc = target.kind === 'snapshot' ? target.snapshot.cluster.vpcId : '';
    outcomesFor(target, ordered, options.now).forEach((outcome, i) => {
      const policy = ordered[i]!;
      results.push({
        policy: policy.id,
        cluster: identity.cluster,
        region: identity.region,
        account: identity.account,
        status: outcome.status,
        severity: policy.severity,
        message: outcome.message,
        ...(controls.get(policy.id)!.length ? { controls: controls.get(policy.id)! } : {}),
        ...(outcome.status === 'fail'
          ? { remediation: remediationText(policy, { ...identity, vpc }, outcome.command), ...(policy.document.references[0] ? { reference: policy.document.references[0] } : {}) }
          : {}),
      });
    });
  }
  return results;
}
