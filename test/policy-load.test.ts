/** Malformed policies fail at load with one line per problem naming file, location and field. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_DIR } from '../functions/cli/paths.js';
import { PolicyLoadError, PolicyLoadErrors } from '../functions/core/policy/errors.js';
import { loadPolicies, loadPolicyFile } from '../functions/policy-files/load-policies.js';
import { main } from '../functions/cli/main.js';
import { evaluateTargets } from '../functions/core/policy/evaluate.js';
import { loadBaseSnapshot } from '../functions/policy-files/policy-cases.js';

const good = readFileSync(join(DEFAULT_POLICY_DIR, 'private-endpoint-vpc-dns.yaml'), 'utf8');

function loadError(text: string, name = 'private-endpoint-vpc-dns.yaml'): string {
  const dir = mkdtempSync(join(tmpdir(), 'eksguard-policy-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  try {
    loadPolicyFile(file);
  } catch (error) {
    expect(error instanceof PolicyLoadError || error instanceof PolicyLoadErrors).toBe(true);
    return (error as Error).message.replace(dir, '<dir>');
  }
  throw new Error('expected the policy to be rejected');
}

describe('policy load errors', () => {
  it('loads the unmodified policy', () => {
    const dir = mkdtempSync(join(tmpdir(), 'eksguard-policy-'));
    writeFileSync(join(dir, 'private-endpoint-vpc-dns.yaml'), good);
    expect(loadPolicies(dir).map((p) => p.id)).toEqual(['private-endpoint-vpc-dns']);
  });

  it('bad YAML names the line', () => {
    expect(loadError(good.replace('severity: high', 'severity: [high'))).toMatch(/^<dir>\/private-endpoint-vpc-dns\.yaml:\d+:\d+: invalid YAML/);
  });

  it('a diagram element kind the HTML report does not draw names the field and the kinds it has', () => {
    expect(loadError(good.replace('fallback: [vpc-dns]', 'fallback: [vpc-dsn]'))).toMatch(
      /^<dir>\/private-endpoint-vpc-dns\.yaml:\d+:\d+: diagram\.fallback\[0\]: Invalid option: expected one of "control-plane"\|.*"vpc-dns"/,
    );
  });

  it('an unknown field names it and its line', () => {
    expect(loadError(good.replace('severity: high', 'severity: high\nseverty: low'))).toBe('<dir>/private-endpoint-vpc-dns.yaml:6:1: severty: Unrecognized key: "severty"');
  });

  it('a wrong type names the field and what was expected', () => {
    expect(loadError(good.replace('severity: high', 'severity: urgent'))).toMatch(
      /^<dir>\/private-endpoint-vpc-dns\.yaml:5:1: severity: Invalid option: expected one of "critical"\|"high"/,
    );
  });

  it('a CEL syntax error names the expression', () => {
    const message = loadError(good.replace('expression: vpc.enableDnsSupport', 'expression: vpc.enableDnsSupport &&'));
    expect(message).toMatch(/^<dir>\/private-endpoint-vpc-dns\.yaml:\d+:\d+: validations\[0\]\.expression: /);
  });

  it('a misspelt snapshot field is a load error, not a silent false', () => {
    const message = loadError(good.replace('expression: vpc.enableDnsSupport', 'expression: vpc.enableDnsSuport'));
    expect(message).toContain('validations[0].expression: No such key: enableDnsSuport');
  });

  it('an expression of the wrong type is rejected', () => {
    expect(loadError(good.replace('expression: vpc.enableDnsSupport', 'expression: vpc.id'))).toContain('validations[0].expression: expression must return bool, returns string');
  });

  it('the id must equal the file name', () => {
    expect(loadError(good, 'other-name.yaml')).toContain('id: "private-endpoint-vpc-dns" must equal the file name "other-name"');
  });
});

async function run(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(['policies', 'check', ...args], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {} });
  return { code, stdout, stderr };
}

describe('eksguard policies check', () => {
  it('passes the shipped policies', async () => {
    const { code, stdout } = await run();
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\d+ policies in .*policies: valid\n$/);
  });

  it('exits 2 with one line per problem (file:line: field: problem) on stderr', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eksguard-check-'));
    writeFileSync(
      join(dir, 'private-endpoint-vpc-dns.yaml'),
      good.replace('expression: vpc.enableDnsSupport', 'expression: vpc.enableDnsSuport').replace('severity: high', 'severity: urgent'),
    );
    const { code, stdout, stderr } = await run('--no-default-policies', '--policies', dir);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${dir}/private-endpoint-vpc-dns\\.yaml:5:1: severity: Invalid option`));
  });

  it('validates the exceptions file too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eksguard-check-'));
    const file = join(dir, 'exceptions.yaml');
    writeFileSync(file, 'apiVersion: eksguard.dev/v1\nkind: Exceptions\nexceptions:\n  - {policy: "*", cluster: a, owner: o, expires: 2027-01-01}\n');
    const { code, stderr } = await run('--exceptions', file);
    expect(code).toBe(2);
    expect(stderr).toBe(`${file}:4:5: exceptions[0].reason: Invalid input: expected string, received undefined\n`);
  });
});

describe('eksguard policies check: quiet inputs', () => {
  const policyDir = (withCases: boolean) => {
    const dir = mkdtempSync(join(tmpdir(), 'eksguard-check-'));
    writeFileSync(join(dir, 'private-endpoint-vpc-dns.yaml'), good);
    if (withCases) writeFileSync(join(dir, 'private-endpoint-vpc-dns.test.yaml'), readFileSync(join(DEFAULT_POLICY_DIR, 'private-endpoint-vpc-dns.test.yaml'), 'utf8'));
    return dir;
  };
  const exceptionsFile = (entries: string) => {
    const file = join(mkdtempSync(join(tmpdir(), 'eksguard-exceptions-')), 'exceptions.yaml');
    writeFileSync(file, `apiVersion: eksguard.dev/v1\nkind: Exceptions\nexceptions:\n${entries}`);
    return file;
  };
  const expired = '  - {policy: private-endpoint-vpc-dns, cluster: a, reason: long enough reason, owner: o, expires: 2020-01-01}\n';

  it('fails for a policy that has no test file, naming the missing file', async () => {
    const dir = policyDir(false);
    const { code, stdout, stderr } = await run('--no-default-policies', '--policies', dir);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`${dir}/private-endpoint-vpc-dns.test.yaml: missing: every policy needs a test file with a passing and a failing case\n`);
  });

  it('warns about an expired exception; with --strict it fails', async () => {
    const dir = policyDir(true);
    const file = exceptionsFile(expired);
    const lenient = await run('--no-default-policies', '--policies', dir, '--exceptions', file);
    expect(lenient.code).toBe(0);
    expect(lenient.stderr).toBe(`${file}:4: warning: the exception for private-endpoint-vpc-dns on a expired on 2020-01-01 and no longer applies\n`);
    const strict = await run('--no-default-policies', '--policies', dir, '--exceptions', file, '--strict');
    expect(strict.code).toBe(2);
    expect(strict.stdout).toBe('');
    expect(strict.stderr).toBe(`${file}:4: error: the exception for private-endpoint-vpc-dns on a expired on 2020-01-01 and no longer applies\n`);
  });

  it('with --strict fails on an exception for a policy that is not evaluated; an unknown policy always fails', async () => {
    const dir = policyDir(true);
    const config = join(mkdtempSync(join(tmpdir(), 'eksguard-config-')), 'config.yaml');
    writeFileSync(config, 'apiVersion: eksguard.dev/v1\nkind: Configuration\npolicies:\n  private-endpoint-vpc-dns: {enabled: false}\n');
    const disabled = exceptionsFile('  - {policy: private-endpoint-vpc-dns, cluster: a, reason: long enough reason, owner: o, expires: 2099-01-01}\n');
    expect((await run('--no-default-policies', '--policies', dir, '--config', config, '--exceptions', disabled)).code).toBe(0);
    const strict = await run('--no-default-policies', '--policies', dir, '--config', config, '--exceptions', disabled, '--strict');
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain('error: the exception is for private-endpoint-vpc-dns, which is not evaluated (disabled in the configuration)');
    const unknown = exceptionsFile('  - {policy: no-such-policy, cluster: a, reason: long enough reason, owner: o, expires: 2099-01-01}\n');
    expect((await run('--no-default-policies', '--policies', dir, '--exceptions', unknown)).code).toBe(2);
  });

  it('the shipped policies and settings pass --strict', async () => {
    const settings = join(DEFAULT_POLICY_DIR, 'settings');
    const { code, stderr } = await run('--strict', '--config', join(settings, 'config.yaml'), '--exceptions', join(settings, 'exceptions.yaml'));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});

describe('evaluation', () => {
  it('is deterministic: same snapshots, same results in the same order, whatever the input order', () => {
    const policies = loadPolicies(DEFAULT_POLICY_DIR);
    const base = loadBaseSnapshot(DEFAULT_POLICY_DIR);
    const snapshots = ['b', 'c', 'a'].map((name) => ({ kind: 'snapshot' as const, snapshot: { ...base, cluster: { ...base.cluster, name } } }));
    const now = new Date(base.collectedAt);
    const first = evaluateTargets(policies, snapshots, { now });
    const second = evaluateTargets([...policies].reverse(), [...snapshots].reverse(), { now });
    expect(second).toEqual(first);
    expect(first.map((r) => r.cluster)).toEqual([...Array(policies.length).fill('a'), ...Array(policies.length).fill('b'), ...Array(policies.length).fill('c')]);
  });

  const withVariables = (variables: string, validation: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'eksguard-policy-'));
    const text = good
      .replace('applicability:', `variables:\n${variables}\napplicability:`)
      .replace(/validations:[\s\S]*passMessage/, `validations:\n  - expression: ${JSON.stringify(validation)}\n    message: failed\npassMessage`);
    writeFileSync(join(dir, 'private-endpoint-vpc-dns.yaml'), text);
    return loadPolicies(dir);
  };
  const evaluateBase = (policies: ReturnType<typeof loadPolicies>) => {
    const base = loadBaseSnapshot(DEFAULT_POLICY_DIR);
    return evaluateTargets(policies, [{ kind: 'snapshot', snapshot: base }], { now: new Date(base.collectedAt) })[0]!;
  };

  it('a variable that fails makes the result error, even where CEL would absorb the error (|| true)', () => {
    const policies = withVariables('  - name: broken\n    expression: subnets["no-such-subnet"].cidrBlock != ""', 'variables.broken || true');
    const result = evaluateBase(policies);
    expect(result.status).toBe('error');
    expect(result.message).toContain('policy evaluation failed: No such key: no-such-subnet');
  });

  it('variables are computed when read: one that no decision reads cannot fail the policy, and a not-applicable one computes none', () => {
    const unused = withVariables('  - name: broken\n    expression: subnets["no-such-subnet"].cidrBlock != ""', 'vpc.enableDnsSupport');
    expect(evaluateBase(unused).status).toBe('pass');
    const reused = withVariables(
      '  - name: first\n    expression: cluster.subnetIds.size()\n  - name: second\n    expression: variables.first + variables.first',
      'variables.second == 2 * variables.first',
    );
    expect(evaluateBase(reused).status).toBe('pass');
  });
});
