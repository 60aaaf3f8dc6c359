/**
 * A policy set from `PrebuiltPolicySet` data (validated ahead of time by prebuild-policy-set.ts):
 * no YAML, no zod, only the CEL compilation of compile.ts.
 */
import { join, relative } from 'node:path';
import { snapshotEnvironment } from '../core/policy/cel-environment.js';
import { compilePolicy, type PolicyOverride } from '../core/policy/compile.js';
import type { PolicyException } from '../core/policy/exceptions.js';
import { globToRegExp } from '../core/policy/glob.js';
import type { PolicyDocument } from '../core/policy/policy-schema.js';
import type { PolicySet, PolicySetFiles } from './policy-set.js';

export interface PrebuiltPolicySet {
  /** The files it was validated from, relative to the package root. */
  sources: { policyDir: string[]; configFile?: string; exceptionsFile?: string };
  /** The enabled policies, their documents as validated (defaults filled in) and the configuration's override. */
  policies: { file: string; document: PolicyDocument; override?: Omit<PolicyOverride, 'source'> }[];
  exceptions: Omit<PolicyException, 'matchesCluster'>[];
}

/**
 * The policy set of `files` (paths under `root`). They must be the files the data was validated
 * from: a deployment sets both from the same stack parameters.
 */
export function policySetFrom(prebuilt: PrebuiltPolicySet, files: PolicySetFiles, root: string): PolicySet {
  const rel = (path: string | undefined) => (path === undefined ? undefined : relative(root, path));
  const asked = { policyDir: [files.policyDir].flat().map((dir) => rel(dir)!), configFile: rel(files.configFile), exceptionsFile: rel(files.exceptionsFile) };
  const built = { policyDir: prebuilt.sources.policyDir, configFile: prebuilt.sources.configFile, exceptionsFile: prebuilt.sources.exceptionsFile };
  if (JSON.stringify(asked) !== JSON.stringify(built)) {
    throw new Error(
      `the policies were validated when this bundle was built, from ${JSON.stringify(built)}; the environment names ${JSON.stringify(asked)}: package again with those settings (serverless package --param config=... --param exceptions=...)`,
    );
  }
  const env = snapshotEnvironment();
  const policies = prebuilt.policies.map(({ file, document, override }) => compilePolicy(document, join(root, file), env, { locate: () => '', ...(override ? { override } : {}) }));
  const exceptions = prebuilt.exceptions.map((e) => ({ ...e, location: join(root, e.location), matchesCluster: globToRegExp(e.cluster) }));
  return { policies, exceptions };
}
