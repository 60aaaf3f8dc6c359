import { loadBaseSnapshot, runPolicyCases } from '../policy-files/policy-cases.js';
import { loadPolicySet, type PolicySet } from '../policy-files/policy-set.js';
import { EXIT } from '../core/report/report.js';
import { parse, POLICY_SET_OPTIONS, policySetFiles, UsageError, type Io } from './args.js';
import { DEFAULT_POLICY_DIR } from './paths.js';

function load(args: string[], options: { withSettings: boolean }): { dir: string; set: PolicySet } {
  const { values, positionals } = options.withSettings ? parse(args, POLICY_SET_OPTIONS) : parse(args, { policies: POLICY_SET_OPTIONS.policies });
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const files = policySetFiles(values as { policies?: string; config?: string; exceptions?: string }, DEFAULT_POLICY_DIR);
  return { dir: files.policyDir, set: loadPolicySet(files) };
}

/** Validates policies, configuration and exceptions; problems exit 2 (by the caller) with file:line. */
export function runPoliciesCheck(args: string[], io: Io): number {
  const { dir, set } = load(args, { withSettings: true });
  const today = new Date().toISOString().slice(0, 10);
  for (const e of set.exceptions.filter((x) => x.expires < today)) {
    io.stderr(`${e.location}: warning: the exception for ${e.policy} on ${e.cluster} expired on ${e.expires} and no longer applies\n`);
  }
  const exceptions = set.exceptions.length ? `, ${set.exceptions.length} exception(s)` : '';
  io.stdout(`${set.policies.length} policies in ${dir}${exceptions}: valid\n`);
  return EXIT.ok;
}

/** Runs every policy's cases, like `opa test`, against the policies as written (no deployment settings); exit 1 when a case fails. */
export function runPoliciesTest(args: string[], io: Io): number {
  const { dir, set } = load(args, { withSettings: false });
  const base = loadBaseSnapshot(dir);
  let passed = 0;
  let failed = 0;
  for (const policy of set.policies) {
    for (const outcome of runPolicyCases(policy, base)) {
      if (outcome.passed) passed++;
      else failed++;
      io.stdout(`${outcome.passed ? 'ok  ' : 'FAIL'} ${policy.id}: ${outcome.case}${outcome.problem ? `\n     ${outcome.problem}` : ''}\n`);
    }
  }
  io.stdout(`${passed} passed, ${failed} failed\n`);
  return failed ? EXIT.failed : EXIT.ok;
}
