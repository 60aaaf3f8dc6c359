import { loadPolicies } from '../core/policy/load-policies.js';
import { loadBaseSnapshot, runPolicyCases } from '../core/policy/policy-tests.js';
import { EXIT } from '../core/report/report.js';
import { parse, UsageError, type Io } from './args.js';
import { DEFAULT_POLICY_DIR } from './paths.js';

function policyDir(args: string[]): string {
  const { values, positionals } = parse(args, { policies: { type: 'string' } });
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  return values.policies ?? DEFAULT_POLICY_DIR;
}

export function runPoliciesCheck(args: string[], io: Io): number {
  const dir = policyDir(args);
  const policies = loadPolicies(dir);
  io.stdout(`${policies.length} policies in ${dir} are valid\n`);
  return EXIT.ok;
}

export function runPoliciesTest(args: string[], io: Io): number {
  const dir = policyDir(args);
  const policies = loadPolicies(dir);
  const base = loadBaseSnapshot(dir);
  let passed = 0;
  let failed = 0;
  for (const policy of policies) {
    for (const outcome of runPolicyCases(policy, base)) {
      if (outcome.passed) passed++;
      else failed++;
      io.stdout(`${outcome.passed ? 'ok  ' : 'FAIL'} ${policy.id}: ${outcome.case}${outcome.problem ? `\n     ${outcome.problem}` : ''}\n`);
    }
  }
  io.stdout(`${passed} passed, ${failed} failed\n`);
  return failed ? EXIT.failed : EXIT.ok;
}
