/** `eksguard policies check|test|catalog`: options and help; the work is in policies-run.ts and catalog.ts, loaded when it runs. */
import { Command, Option } from 'commander';
import { addPolicySetOptions, runAction, type Io, type PolicySetOptions } from './args.js';
import { catalogCommand } from './catalog-command.js';

export interface CheckOptions extends PolicySetOptions {
  strict?: boolean;
}

export function policiesCommand(io: Io, setCode: (code: number) => void): Command {
  const check = addPolicySetOptions(
    new Command('check')
      .summary('validate policies, settings and exceptions')
      .description(
        'Validate the policy files (schema, CEL types against the snapshot), the deployment settings and the exceptions. Problems are printed as file:line: field: problem (exit 2).',
      ),
    { withSettings: true },
  )
    .addOption(new Option('--strict', 'also fail (exit 2) on expired exceptions and exceptions for disabled policies (for CI)'))
    .addHelpText(
      'after',
      `
Examples:
  eksguard policies check
  eksguard policies check --policies ./team-policies --config eksguard.yaml --exceptions exceptions.yaml --strict`,
    );
  runAction<CheckOptions>(check, async (options) => (await import('./policies-run.js')).runPoliciesCheck(options, io), setCode);

  const test = addPolicySetOptions(
    new Command('test')
      .summary("run every policy's test cases")
      .description(
        "Run every policy's cases (<id>.test.yaml beside <id>.yaml), like `opa test`, against the policies as " +
          'written (no deployment settings). Each case patches the base snapshot: testdata/base-snapshot.yaml of ' +
          "the policy's own directory, else the shipped one. Exit 1 when a case fails.",
      ),
    { withSettings: false },
  ).addHelpText(
    'after',
    `
Examples:
  eksguard policies test
  eksguard policies test --policies ./team-policies --no-default-policies`,
  );
  runAction<PolicySetOptions>(test, async (options) => (await import('./policies-run.js')).runPoliciesTest(options, io), setCode);

  return new Command('policies')
    .summary('check, test and list the policies')
    .description('Work with policy files: validate them, run their test cases, regenerate the catalog.')
    .addCommand(check)
    .addCommand(test)
    .addCommand(catalogCommand(io, setCode))
    .addHelpText('after', '\nExample:\n  eksguard policies check --help');
}
