/**
 * Validates a policy set (YAML, zod, CEL) and turns it into plain data, `PrebuiltPolicySet`: what
 * the Lambda bundles carry instead of the YAML files, validated when they are built
 * (infra/esbuild-plugins.cjs), so that no Lambda parses YAML or checks it with zod.
 */
import { relative } from 'node:path';
import type { PrebuiltPolicySet } from './prebuilt-policy-set.js';
import { loadConfiguration, loadPolicySet, type PolicySetFiles } from './policy-set.js';

/** Paths in the result are relative to `root`, the package root (the Lambda's task root). */
export function prebuildPolicySet(files: PolicySetFiles, root: string): PrebuiltPolicySet {
  const { policies, exceptions } = loadPolicySet(files);
  const overrides = files.configFile ? loadConfiguration(files.configFile).overrides : undefined;
  const rel = (path: string) => relative(root, path);
  return {
    sources: {
      policyDir: [files.policyDir].flat().map(rel),
      ...(files.configFile ? { configFile: rel(files.configFile) } : {}),
      ...(files.exceptionsFile ? { exceptionsFile: rel(files.exceptionsFile) } : {}),
    },
    policies: policies.map((policy) => {
      const override = overrides?.get(policy.id);
      return {
        file: rel(policy.file),
        document: policy.document,
        ...(override?.severity || override?.parameters
          ? { override: { ...(override.severity ? { severity: override.severity } : {}), ...(override.parameters ? { parameters: override.parameters } : {}) } }
          : {}),
      };
    }),
    exceptions: exceptions.map(({ matchesCluster: _, location, ...entry }) => ({ ...entry, location: rel(location) })),
  };
}
