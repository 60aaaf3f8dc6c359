/** What the report formats need to know about a policy beyond its results (its metadata). */
import type { CompiledPolicy } from '../policy/compile.js';
import type { Controls, PolicyDocument } from '../policy/policy-schema.js';
import type { Severity } from '../severity.js';

export interface PolicyInfo {
  id: string;
  title: string;
  /** The severity in force (a deployment may override the file's). */
  severity: Severity;
  category: PolicyDocument['category'];
  description: string;
  rationale: string;
  remediation: PolicyDocument['remediation'];
  references: string[];
  controls?: Controls;
}

export function policyInfo(policy: CompiledPolicy): PolicyInfo {
  const { title, category, description, rationale, remediation, references, controls } = policy.document;
  return {
    id: policy.id,
    title,
    severity: policy.severity,
    category,
    description: description.trim(),
    rationale: rationale.trim(),
    remediation,
    references,
    ...(controls ? { controls } : {}),
  };
}

export const policyIndex = (policies: readonly PolicyInfo[]) => new Map(policies.map((p) => [p.id, p]));
