/**
 * Control ids of published frameworks, as policies declare them (`controls` in a policy file),
 * in the two spellings eksguard shows:
 * - labels for reports and messages: `AWS FSBP EKS.1`, `CIS EKS 5.4.2`;
 * - Security Hub `Compliance.RelatedRequirements` entries, in the "<standard>/<control>" form
 *   Security Hub uses for its own standards (e.g. `CIS AWS Foundations Benchmark v1.2.0/1.1`).
 *
 * Sources: AWS Foundational Security Best Practices EKS controls
 * (https://docs.aws.amazon.com/securityhub/latest/userguide/eks-controls.html: EKS.1 endpoint not
 * public, EKS.2 supported Kubernetes version, EKS.3 encrypted secrets, EKS.8 audit logging), and
 * the CIS Amazon EKS Benchmark (2.1.1 Enable audit logs; 5.3.1 Kubernetes secrets encrypted with
 * KMS customer-managed keys; 5.4.1 Restrict access to the control plane endpoint; 5.4.2 Private
 * endpoint enabled and public access disabled; 5.4.3 Private nodes), numbered the same from
 * v1.0.1 on. The benchmark's version is left out because these numbers did not change.
 */
import type { Controls } from '../policy/policy-schema.js';

export function controlLabels(controls: Controls | undefined): string[] {
  return [...(controls?.awsFsbp ?? []).map((id) => `AWS FSBP ${id}`), ...(controls?.cisEks ?? []).map((id) => `CIS EKS ${id}`)];
}

/** Security Hub allows at most 32 RelatedRequirements (API_Compliance). */
export function relatedRequirements(controls: Controls | undefined): string[] {
  return [
    ...(controls?.awsFsbp ?? []).map((id) => `AWS Foundational Security Best Practices v1.0.0/${id}`),
    ...(controls?.cisEks ?? []).map((id) => `CIS Amazon EKS Benchmark/${id}`),
  ].slice(0, 32);
}
