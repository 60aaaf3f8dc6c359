/**
 * eksguard results as AWS Config evaluations (the PutEvaluations request), pure.
 *
 * The PutEvaluations contract: functions/core/README.md, "AWS Config evaluations".
 *
 * Mapping (one evaluation per cluster):
 * - pass → COMPLIANT; fail → NON_COMPLIANT; not-applicable → NOT_APPLICABLE.
 * - a deleted (gone) cluster → NOT_APPLICABLE, so a deleted cluster stops counting as
 *   non-compliant; the same answer AWS documents for eventLeftScope
 *   (https://docs.aws.amazon.com/config/latest/developerguide/evaluate-config_develop-rules_example-events.html).
 * - excepted → COMPLIANT, annotated "Excepted until …". An exception is a reviewed, expiring risk
 *   acceptance (policies/settings/exceptions.yaml): the failure is known and accepted by an owner
 *   until a date. When it expires the result is `fail` again and the evaluation NON_COMPLIANT.
 * - error → NON_COMPLIANT, annotated "Could not evaluate: <what could not be read>". Config accepts
 *   no INSUFFICIENT_DATA from a custom rule, and "eksguard could not see" must never read as
 *   compliant; NOT_APPLICABLE would hide it too. NON_COMPLIANT with the reason keeps it visible
 *   until the cluster can be read again.
 * - a cluster with neither result nor gone is treated as an error (never silently compliant).
 */
import { exceptedNote, type ExceptionRef, type ResultStatus } from '../results.js';
import { EKS_CLUSTER_RESOURCE_TYPE } from './config-event.js';

export { EKS_CLUSTER_RESOURCE_TYPE };
export const MAX_ANNOTATION_LENGTH = 256;
export const MAX_EVALUATIONS_PER_CALL = 100;
const MAX_RESOURCE_ID_LENGTH = 768;

/** The compliance types a custom rule may send (INSUFFICIENT_DATA is refused by PutEvaluations). */
export type EvaluationComplianceType = 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE';

/** Assignable to the AWS SDK Config Service client's `Evaluation`, with the fields always set. */
export interface ConfigEvaluation {
  ComplianceResourceType: typeof EKS_CLUSTER_RESOURCE_TYPE;
  ComplianceResourceId: string;
  ComplianceType: EvaluationComplianceType;
  Annotation: string;
  OrderingTimestamp: Date;
}

export interface ClusterVerdict {
  clusterName: string;
  /** The ComplianceResourceId to report; default the cluster name (Config's resourceId for AWS::EKS::Cluster). */
  resourceId?: string;
  result?: { status: ResultStatus; message: string; exception?: ExceptionRef };
  /** The cluster was deleted or left the rule's scope. */
  gone?: boolean;
}

export interface EvaluationsInput {
  policyId: string;
  orderingTimestamp: Date;
  clusters: readonly ClusterVerdict[];
}

const ELLIPSIS = '…';

/**
 * A Config annotation: whitespace collapsed, never empty, at most 256 characters; a longer text is
 * cut at a word boundary (or hard, when the last word is very long) and ends with "…".
 */
export function annotation(text: string, fallback = 'No details.'): string {
  const clean = text.replace(/\s+/g, ' ').trim() || fallback.replace(/\s+/g, ' ').trim() || 'No details.';
  if (clean.length <= MAX_ANNOTATION_LENGTH) return clean;
  let cut = clean.slice(0, MAX_ANNOTATION_LENGTH - ELLIPSIS.length);
  // Never leave half of a surrogate pair.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  const space = cut.lastIndexOf(' ');
  if (space >= MAX_ANNOTATION_LENGTH / 2) cut = cut.slice(0, space);
  cut = cut.replace(/[\s,;:([{-]+$/, '');
  return `${cut}${ELLIPSIS}`;
}

/**
 * Without an exception (a finding stored before exceptions were data), the stored message still
 * ends with its "[excepted until … by …: …]" note, so the annotation keeps saying until when and by whom.
 */
function exceptedAnnotation(message: string, exception: ExceptionRef | undefined): string {
  if (exception) {
    const note = exceptedNote(exception);
    return annotation(`${note[0]!.toUpperCase()}${note.slice(1)} (reviewed risk acceptance). Failure: ${message.trim() || 'not recorded'}`);
  }
  return annotation(`Excepted (reviewed, expiring risk acceptance). Failure: ${message}`, 'Excepted (reviewed, expiring risk acceptance).');
}

function verdict(policyId: string, cluster: ClusterVerdict): { type: EvaluationComplianceType; note: string } {
  if (cluster.gone) {
    return { type: 'NOT_APPLICABLE', note: annotation(`Cluster ${cluster.clusterName} was deleted or left the rule's scope; eksguard no longer evaluates it.`) };
  }
  const result = cluster.result;
  if (!result) return { type: 'NON_COMPLIANT', note: annotation(`Could not evaluate: no eksguard result for policy ${policyId} on this cluster.`) };
  switch (result.status) {
    case 'pass':
      return { type: 'COMPLIANT', note: annotation(result.message, `Passes eksguard policy ${policyId}.`) };
    case 'fail':
      return { type: 'NON_COMPLIANT', note: annotation(result.message, `Fails eksguard policy ${policyId}.`) };
    case 'not-applicable':
      return { type: 'NOT_APPLICABLE', note: annotation(`Not applicable: ${result.message}`, 'Not applicable.') };
    case 'excepted':
      return { type: 'COMPLIANT', note: exceptedAnnotation(result.message, result.exception) };
    case 'error':
      return { type: 'NON_COMPLIANT', note: annotation(`Could not evaluate: ${result.message.trim() || 'the cluster could not be read'}`) };
    default: {
      const unknown: never = result.status;
      throw new Error(`config evaluations: unknown result status ${JSON.stringify(unknown)} for cluster ${cluster.clusterName}`);
    }
  }
}

/** One Config evaluation per cluster for the policy's rule. */
export function buildEvaluations(input: EvaluationsInput): ConfigEvaluation[] {
  if (!(input.orderingTimestamp instanceof Date) || Number.isNaN(input.orderingTimestamp.getTime())) {
    throw new Error('config evaluations: orderingTimestamp must be a valid Date');
  }
  const seen = new Set<string>();
  return input.clusters.map((cluster) => {
    const resourceId = cluster.resourceId ?? cluster.clusterName;
    if (resourceId.length < 1 || resourceId.length > MAX_RESOURCE_ID_LENGTH) {
      throw new Error(`config evaluations: ComplianceResourceId must be 1..${MAX_RESOURCE_ID_LENGTH} characters, got ${JSON.stringify(resourceId)}`);
    }
    if (seen.has(resourceId)) throw new Error(`config evaluations: cluster ${JSON.stringify(resourceId)} appears twice for policy ${input.policyId}`);
    seen.add(resourceId);
    const { type, note } = verdict(input.policyId, cluster);
    return {
      ComplianceResourceType: EKS_CLUSTER_RESOURCE_TYPE,
      ComplianceResourceId: resourceId,
      ComplianceType: type,
      Annotation: note,
      OrderingTimestamp: input.orderingTimestamp,
    };
  });
}

/** Splits evaluations into PutEvaluations calls of at most `size` (≤ 100) each. */
export function batchEvaluations<T>(evaluations: readonly T[], size: number = MAX_EVALUATIONS_PER_CALL): T[][] {
  if (!Number.isInteger(size) || size < 1 || size > MAX_EVALUATIONS_PER_CALL) {
    throw new RangeError(`config evaluations: batch size must be an integer from 1 to ${MAX_EVALUATIONS_PER_CALL}, got ${size}`);
  }
  const batches: T[][] = [];
  for (let i = 0; i < evaluations.length; i += size) batches.push(evaluations.slice(i, i + size));
  return batches;
}
