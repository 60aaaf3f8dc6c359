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

  it('an unknown field names it and its line', () => {
    expect(loadError(good.replace('severity: high', 'severity: high\nseverty: low'))).toBe(
      '<dir>/private-endpoint-vpc-dns.yaml:6:1: severty: Unrecognized key: "severty"',
    );
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
    expect(loadError(good.replace('expression: vpc.enableDnsSupport', 'expression: vpc.id'))).toContain(
      'validations[0].expression: expression must return bool, returns string',
    );
  });

  it('the id must equal the file name', () => {
    expect(loadError(good, 'other-name.yaml')).toContain('id: "private-endpoint-vpc-dns" must equal the file name "other-name"');
  });
});

describe('eksguard policies check', () => {
  const run = async (...args: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await main(['policies', 'check', ...args], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {} });
    return { code, stdout, stderr };
  };

  it('passes the shipped policies', async () => {
    const { code, stdout } = await run();
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\d+ policies in .*policies: valid\n$/);
  });

  it('exits 2 with one line per problem (file:line: field: problem) on stderr', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eksguard-check-'));
    writeFileSync(join(dir, 'private-endpoint-vpc-dns.yaml'), good.replace('expression: vpc.enableDnsSupport', 'expression: vpc.enableDnsSuport').replace('severity: high', 'severity: urgent'));
    const { code, stdout, stderr } = await run('--policies', dir);
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
});
