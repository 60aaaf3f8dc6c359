/** What `eksguard policies check` and `eksguard policies test` do. */
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { casesFileOf } from '../core/policy/policy-tests.js';
import type { ClusterSnapshot } from '../core/snapshot/schema.js';
import { baseSnapshotFile, loadBaseSnapshot, runPolicyCases } from '../policy-files/policy-cases.js';
import { loadPolicySet } from '../policy-files/policy-set.js';
import { EXIT } from '../core/report/report.js';
import { policyDirectories, policySetFiles, type Io, type PolicySetOptions } from './args.js';
import { DEFAULT_POLICY_DIR } from './paths.js';
import type { CheckOptions } from './policies-command.js';

/**
 * Validates policies, configuration and exceptions; problems exit 2 with file:line. Every policy
 * needs its test file. With --strict (for CI) an expired exception, or one for a policy that is
 * not evaluated (disabled by the configuration), is an error too instead of a warning.
 */
export function runPoliciesCheck(options: CheckOptions, io: Io): number {
  const set = loadPolicySet(policySetFiles(options));
  const strict = options.strict === true;
  const problems: string[] = [];
  for (const policy of set.policies) {
    const cases = casesFileOf(policy.file);
    if (!existsSync(cases)) problems.push(`${cases}: missing: every policy needs a test file with a passing and a failing case`);
  }
  const today = new Date().toISOString().slice(0, 10);
  const evaluated = new Set(set.policies.map((p) => p.id));
  const level = strict ? 'error' : 'warning';
  const quiet: string[] = [];
  for (const e of set.exceptions) {
    if (e.expires < today) quiet.push(`${e.location}: ${level}: the exception for ${e.policy} on ${e.cluster} expired on ${e.expires} and no longer applies`);
    if (e.policy !== '*' && !evaluated.has(e.policy))
      quiet.push(`${e.location}: ${level}: the exception is for ${e.policy}, which is not evaluated (disabled in the configuration)`);
  }
  for (const line of quiet) io.stderr(`${line}\n`);
  for (const line of problems) io.stderr(`${line}\n`);
  if (problems.length || (strict && quiet.length)) return EXIT.usage;
  const exceptions = set.exceptions.length ? `, ${set.exceptions.length} exception(s)` : '';
  io.stdout(`${set.policies.length} policies in ${policyDirectories(options).join(', ')}${exceptions}: valid\n`);
  return EXIT.ok;
}

/** Runs every policy's cases, like `opa test`, against the policies as written (no deployment settings); exit 1 when a case fails. */
export function runPoliciesTest(options: PolicySetOptions, io: Io): number {
  const { policies } = loadPolicySet({ policyDir: policyDirectories(options) });
  const bases = new Map<string, ClusterSnapshot>();
  // A team's own directory may bring its own base snapshot; otherwise its cases patch the shipped one.
  const baseFor = (policyFile: string) => {
    const dir = existsSync(baseSnapshotFile(dirname(policyFile))) ? dirname(policyFile) : DEFAULT_POLICY_DIR;
    if (!bases.has(dir)) bases.set(dir, loadBaseSnapshot(dir));
    return bases.get(dir)!;
  };
  let passed = 0;
  let failed = 0;
  for (const policy of policies) {
    for (const outcome of runPolicyCases(policy, baseFor(policy.file))) {
      if (outcome.passed) passed++;
      else failed++;
      io.stdout(`${outcome.passed ? 'ok  ' : 'FAIL'} ${policy.id}: ${outcome.case}${outcome.problem ? `\n     ${outcome.problem}` : ''}\n`);
    }
  }
  io.stdout(`${passed} passed, ${failed} failed\n`);
  return failed ? EXIT.failed : EXIT.ok;
}
