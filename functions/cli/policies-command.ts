import { existsSync } from 'node:fs';
import { casesFileOf } from '../core/policy/policy-tests.js';
import { loadBaseSnapshot, runPolicyCases } from '../policy-files/policy-cases.js';
import { loadPolicySet, type PolicySet } from '../policy-files/policy-set.js';
import { EXIT } from '../core/report/report.js';
import { parse, POLICY_SET_OPTIONS, policySetFiles, UsageError, type Io } from './args.js';
import { DEFAULT_POLICY_DIR } from './paths.js';

function load(args: string[], options: { withSettings: boolean }): { dir: string; set: PolicySet; strict: boolean } {
  const { values, positionals } = options.withSettings
    ? parse(args, { ...POLICY_SET_OPTIONS, strict: { type: 'boolean', default: false } })
    : parse(args, { policies: POLICY_SET_OPTIONS.policies });
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const files = policySetFiles(values as { policies?: string; config?: string; exceptions?: string }, DEFAULT_POLICY_DIR);
  return { dir: files.policyDir, set: loadPolicySet(files), strict: (values as { strict?: boolean }).strict === true };
}

/**
 * Validates policies, configuration and exceptions; problems exit 2 with file:line. Every policy
 * needs its test file. With --strict (for CI) an expired exception, or one for a policy that is
 * not evaluated (disabled by the configuration), is an error too instead of a warning.
 */
export function runPoliciesCheck(args: string[], io: Io): number {
  const { dir, set, strict } = load(args, { withSettings: true });
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
    if (e.policy !== '*' && !evaluated.has(e.policy)) quiet.push(`${e.location}: ${level}: the exception is for ${e.policy}, which is not evaluated (disabled in the configuration)`);
  }
  for (const line of quiet) io.stderr(`${line}\n`);
  for (const line of problems) io.stderr(`${line}\n`);
  if (problems.length || (strict && quiet.length)) return EXIT.usage;
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
