/** The Security Hub export's plan (what to send, when to refresh) and its adapter (batches, refusals). */
import { BatchImportFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import type { TrackedResult } from '../functions/core/drift/lifecycle.js';
import { asffFinding } from '../functions/core/securityhub/asff.js';
import { planExport } from '../functions/core/securityhub/export-plan.js';
import { SecurityHubExporter } from '../functions/publishers/securityhub-exporter.js';

const result = (over: Partial<TrackedResult> = {}): TrackedResult => ({
  policy: 'secrets-encryption-cmk',
  cluster: 'sandbox',
  region: 'us-east-1',
  account: '111122223333',
  status: 'fail',
  severity: 'medium',
  message: 'cluster sandbox has no secrets encryption',
  ...over,
});
const day = 86_400_000;
const t0 = new Date('2026-11-01T00:00:00Z');
const policies = new Map();

describe('planExport', () => {
  it('sends every result the first time, nothing while unchanged, then only the changed one', () => {
    const first = planExport({ kind: 'new', results: [result(), result({ policy: 'deletion-protection-enabled', status: 'pass' })] }, undefined, policies, { now: t0 });
    expect(first.findings.map((f) => f.Compliance.Status)).toEqual(['FAILED', 'PASSED']);
    const same = planExport({ kind: 'existing', results: [result(), result({ policy: 'deletion-protection-enabled', status: 'pass' })] }, first.next, policies, {
      now: new Date(t0.getTime() + day),
    });
    expect(same.findings).toEqual([]);
    const resolved = planExport(
      { kind: 'existing', results: [result({ status: 'pass', transition: 'resolved' }), result({ policy: 'deletion-protection-enabled', status: 'pass' })] },
      same.next,
      policies,
      { now: new Date(t0.getTime() + 2 * day) },
    );
    expect(resolved.findings).toHaveLength(1);
    expect(resolved.findings[0]).toMatchObject({ Compliance: { Status: 'PASSED' }, RecordState: 'ARCHIVED', CreatedAt: t0.toISOString() });
    const stillPassing = planExport({ kind: 'existing', results: [result({ status: 'pass' })] }, resolved.next, policies, { now: new Date(t0.getTime() + 3 * day) });
    expect(stillPassing.findings).toEqual([]);
    const failsAgain = planExport({ kind: 'existing', results: [result()] }, stillPassing.next, policies, { now: new Date(t0.getTime() + 4 * day) });
    expect(failsAgain.findings[0]).toMatchObject({ Compliance: { Status: 'FAILED' }, RecordState: 'ACTIVE' });
  });

  it('refreshes an open finding before Security Hub would archive it (90 days), never a passing one', () => {
    const first = planExport({ kind: 'new', results: [result(), result({ policy: 'p2', status: 'pass' })] }, undefined, policies, { now: t0 });
    expect(
      planExport({ kind: 'existing', results: [result(), result({ policy: 'p2', status: 'pass' })] }, first.next, policies, { now: new Date(t0.getTime() + 29 * day) }).findings,
    ).toEqual([]);
    const refresh = planExport({ kind: 'existing', results: [result(), result({ policy: 'p2', status: 'pass' })] }, first.next, policies, {
      now: new Date(t0.getTime() + 30 * day),
    });
    expect(refresh.findings.map((f) => [f.GeneratorId, f.Compliance.Status, f.UpdatedAt])).toEqual([
      ['secrets-encryption-cmk', 'FAILED', new Date(t0.getTime() + 30 * day).toISOString()],
    ]);
  });

  it('maps could-not-evaluate to WARNING and not-applicable to NOT_AVAILABLE', () => {
    const plan = planExport(
      { kind: 'new', results: [result({ status: 'error', message: 'could not read vpc' }), result({ policy: 'p2', status: 'not-applicable' })] },
      undefined,
      policies,
      { now: t0 },
    );
    expect(plan.findings.map((f) => [f.Compliance.Status, f.Severity.Label, f.Description])).toEqual([
      ['WARNING', 'MEDIUM', 'Could not evaluate: could not read vpc'],
      ['NOT_AVAILABLE', 'INFORMATIONAL', 'cluster sandbox has no secrets encryption'],
    ]);
  });
});

describe('SecurityHubExporter', () => {
  const findings = Array.from({ length: 250 }, (_, i) => asffFinding(result({ policy: `p${i}` }), undefined, { createdAt: t0.toISOString(), updatedAt: t0.toISOString() }));

  it('sends at most 100 findings per BatchImportFindings call', async () => {
    const mock = mockClient(SecurityHubClient);
    mock.on(BatchImportFindingsCommand).callsFake((input: { Findings: unknown[] }) => ({ FailedCount: 0, SuccessCount: input.Findings.length, FailedFindings: [] }));
    await new SecurityHubExporter(() => new SecurityHubClient({ region: 'us-east-1' })).importFindings(findings);
    expect(mock.commandCalls(BatchImportFindingsCommand).map((c) => c.args[0].input.Findings!.length)).toEqual([100, 100, 50]);
    mock.restore();
  });

  it('a finding Security Hub refuses fails the export, naming it', async () => {
    const mock = mockClient(SecurityHubClient);
    mock
      .on(BatchImportFindingsCommand)
      .resolves({ FailedCount: 1, SuccessCount: 99, FailedFindings: [{ Id: 'eksguard/x', ErrorCode: 'InvalidInput', ErrorMessage: 'Missing: Title' }] });
    await expect(new SecurityHubExporter(() => new SecurityHubClient({ region: 'us-east-1' })).importFindings(findings.slice(0, 100))).rejects.toThrow(
      'Security Hub refused 1 of 100 findings in us-east-1 (eksguard/x: InvalidInput Missing: Title)',
    );
    mock.restore();
  });
});
