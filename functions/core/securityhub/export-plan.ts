/**
 * Which findings one scan sends to Security Hub for a cluster, and what to remember. Pure.
 *
 * Only news is sent: a (policy, cluster) result that was never exported, or whose compliance
 * status, severity, message or record state changed since the last export (new, resolved,
 * changed). An open finding (anything but PASSED) that did not change is re-sent once it was last
 * sent `refreshDays` ago: Security Hub archives findings that were not updated for 90 days
 * (https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-findings.html, "Finding
 * retention"), and a still-failing cluster must never disappear from it. PASSED findings may age
 * out: that is what resolved means.
 */
import { createHash } from 'node:crypto';
import type { ClusterOutcome } from '../drift/track.js';
import type { PolicyInfo } from '../report/policy-info.js';
import { asffFinding, type AsffFinding, type ComplianceStatus } from './asff.js';

/** What was last exported for one (policy, cluster), kept in the cluster's state record. */
export interface ExportedFinding {
  status: ComplianceStatus;
  recordState: 'ACTIVE' | 'ARCHIVED';
  /** Hash of what the finding says (status, severity, message, record state). */
  fingerprint: string;
  createdAt: string;
  exportedAt: string;
}

/** Well inside Security Hub's 90 days, so that two failed runs in a row never let a finding age out. */
export const DEFAULT_REFRESH_DAYS = 30;

export interface ExportPlan {
  findings: AsffFinding[];
  /** The exported state to store with the record once the findings were imported. */
  next: Record<string, ExportedFinding>;
}

export function planExport(
  outcome: Pick<ClusterOutcome, 'kind' | 'results'>,
  previous: Readonly<Record<string, ExportedFinding>> | undefined,
  policies: ReadonlyMap<string, PolicyInfo>,
  options: { now: Date; refreshDays?: number },
): ExportPlan {
  const now = options.now.toISOString();
  const refreshMs = (options.refreshDays ?? DEFAULT_REFRESH_DAYS) * 86_400_000;
  const next: Record<string, ExportedFinding> = outcome.kind === 'deleted' ? {} : { ...previous };
  const findings: AsffFinding[] = [];
  for (const result of outcome.results) {
    const before = previous?.[result.policy];
    const finding = asffFinding(result, policies.get(result.policy), { createdAt: before?.createdAt ?? now, updatedAt: now, archived: before?.recordState === 'ARCHIVED' });
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([finding.Compliance.Status, finding.Severity, finding.Description, finding.RecordState, finding.Remediation]))
      .digest('hex');
    const changed = before?.fingerprint !== fingerprint;
    const due = before !== undefined && finding.Compliance.Status !== 'PASSED' && Date.parse(before.exportedAt) + refreshMs <= options.now.getTime();
    if (!changed && !due) continue;
    findings.push(finding);
    if (outcome.kind !== 'deleted')
      next[result.policy] = { status: finding.Compliance.Status, recordState: finding.RecordState, fingerprint, createdAt: finding.CreatedAt, exportedAt: now };
  }
  return { findings, next };
}
