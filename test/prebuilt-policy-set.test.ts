/**
 * The Lambda bundles' policy set, validated at build time (policy-files/prebuild-policy-set.ts,
 * through infra/esbuild-plugins.cjs) and compiled from plain data at run time: the same policies,
 * overrides and exceptions as loading the YAML files, and the same file:line errors at build time.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_DIR, PACKAGE_ROOT } from '../functions/cli/paths.js';
import { loadPolicySet } from '../functions/policy-files/policy-set.js';
import { prebuildPolicySet } from '../functions/policy-files/prebuild-policy-set.js';
import { policySetFrom, type PrebuiltPolicySet } from '../functions/policy-files/prebuilt-policy-set.js';

const dir = mkdtempSync(join(tmpdir(), 'eksguard-prebuilt-'));
const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const files = {
  policyDir: DEFAULT_POLICY_DIR,
  configFile: write(
    'config.yaml',
    'apiVersion: eksguard.dev/v1\nkind: Configuration\npolicies:\n  endpoint-public-cidrs-restricted: {severity: critical, parameters: {minIpv4PrefixLength: 16}}\n  deletion-protection-enabled: {enabled: false}\n',
  ),
  exceptionsFile: write(
    'exceptions.yaml',
    'apiVersion: eksguard.dev/v1\nkind: Exceptions\nexceptions:\n  - policy: endpoint-public-access-disabled\n    cluster: "analytics-*"\n    reason: Public ingestion until the VPN migration\n    owner: data@example.com\n    expires: 2027-03-31\n',
  ),
};
/** What the bundle carries: the prebuilt set as JSON, parsed back. */
const shipped = (): PrebuiltPolicySet => JSON.parse(JSON.stringify(prebuildPolicySet(files, PACKAGE_ROOT))) as PrebuiltPolicySet;
const essentials = (set: ReturnType<typeof loadPolicySet>) => ({
  policies: set.policies.map(({ id, severity, file, params, sections, passMessage, document }) => ({ id, severity, file, params, sections, passMessage, document })),
  exceptions: set.exceptions.map(({ matchesCluster, ...e }) => ({ ...e, matches: ['analytics-eu', 'analytics', 'web'].filter((c) => matchesCluster.test(c)) })),
});

describe('the prebuilt policy set of the Lambda bundles', () => {
  it('compiles to the same policies, overrides and exceptions as the YAML files, through JSON', () => {
    const fromYaml = loadPolicySet(files);
    const prebuilt = policySetFrom(shipped(), files, PACKAGE_ROOT);
    expect(essentials(prebuilt)).toEqual(essentials(fromYaml));
    const cidrs = prebuilt.policies.find((p) => p.id === 'endpoint-public-cidrs-restricted')!;
    expect(cidrs.severity).toBe('critical');
    expect(cidrs.params.minIpv4PrefixLength).toBe(16n);
    expect(prebuilt.policies.map((p) => p.id)).not.toContain('deletion-protection-enabled');
    expect(essentials(prebuilt).exceptions).toEqual([
      expect.objectContaining({ policy: 'endpoint-public-access-disabled', location: `${files.exceptionsFile}:4`, matches: ['analytics-eu'] }),
    ]);
  });

  it('carries no YAML and no functions: plain JSON, with paths relative to the package', () => {
    const data = shipped();
    expect(data.sources).toEqual({ policyDir: ['policies'], configFile: expect.stringMatching(/config\.yaml$/), exceptionsFile: expect.stringMatching(/exceptions\.yaml$/) });
    expect(data.policies.every((p) => p.file.startsWith('policies/'))).toBe(true);
  });

  it('refuses files other than the ones it was validated from', () => {
    expect(() => policySetFrom(shipped(), { ...files, configFile: join(PACKAGE_ROOT, 'policies/settings/config.yaml') }, PACKAGE_ROOT)).toThrow(
      /validated when this bundle was built, from .*config\.yaml.*; the environment names .*"configFile":"policies\/settings\/config\.yaml"/,
    );
  });

  it('fails the build with the file:line errors of the policy loaders', () => {
    const bad = write('bad-config.yaml', 'apiVersion: eksguard.dev/v1\nkind: Configuration\npolicies:\n  no-such-policy: {severity: high}\n');
    expect(() => prebuildPolicySet({ ...files, configFile: bad }, PACKAGE_ROOT)).toThrow(/bad-config\.yaml:4:\d+: policies\.no-such-policy: no such policy/);
  });
});
