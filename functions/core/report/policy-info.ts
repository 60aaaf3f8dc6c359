/** What the report formats need to know about a policy beyond its results (its metadata). */
import type { CompiledPolicy } from '../policy/compile.js';
import type { Controls, Diagram, PolicyDocument } from '../policy/policy-schema.js';
import type { Severity } from '../severities.js';

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
  /** Where the HTML wiring report draws its results. */
  diagram?: Diagram;
}

export function policyInfo(policy: CompiledPolicy): PolicyInfo {
  const { title, category, description, rationale, remediation, references, controls, diagram } = policy.document;
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
    ...(diagram ? { diagram } : {}),
  };
}

export const policyIndex = (policies: readonly PolicyInfo[]) => new Map(policies.map((p) => [p.id, p]));
