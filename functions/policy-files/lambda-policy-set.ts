/**
 * The Lambda handlers' policy set. Run from source (tests, `serverless invoke local` through tsx)
 * this validates the YAML files now; in the Lambda bundles infra/esbuild-plugins.cjs replaces this
 * module with the same data validated at build time (a JSON file beside the bundle, read on first
 * use), so the bundles carry neither `yaml` nor the zod schemas of the policy files.
 */
import { prebuildPolicySet } from './prebuild-policy-set.js';
import { policySetFrom } from './prebuilt-policy-set.js';
import type { PolicySet, PolicySetFiles } from './policy-set.js';

export const lambdaPolicySet = (files: PolicySetFiles, root: string): PolicySet => policySetFrom(prebuildPolicySet(files, root), files, root);
