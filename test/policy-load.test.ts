/** Malformed policies fail at load with one line per problem naming file, location and field. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_DIR } from '../functions/cli/paths.js';
import { PolicyLoadError, PolicyLoadErrors } from '../functions/core/policy/errors.js';
import { loadPolicies, loadPolicyFile } from '../functions/core/policy/load-policies.js';

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
