/**
 * The Security Hub adapter: BatchImportFindings, at most 100 findings per call (the API's limit,
 * https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchImportFindings.html), each
 * finding sent to the region it belongs to (a product ARN is regional). Security Hub answers 200
 * with FailedCount for findings it refused: that is an error here too, so the cluster's state is
 * not advanced and every finding is sent again on the next run (an import is an upsert by Id).
 */
import { BatchImportFindingsCommand, SecurityHubClient, type AwsSecurityFinding, type SecurityHubClientConfig } from '@aws-sdk/client-securityhub';
import type { FindingsExporter } from '../app/ports.js';
import type { AsffFinding } from '../core/securityhub/asff.js';

export const BATCH_IMPORT_MAX = 100;

export class SecurityHubExporter implements FindingsExporter {
  private readonly clients = new Map<string, SecurityHubClient>();

  constructor(private readonly clientFor: (region: string) => SecurityHubClient) {}

  async importFindings(findings: readonly AsffFinding[]): Promise<void> {
    const byRegion = new Map<string, AsffFinding[]>();
    for (const f of findings) byRegion.set(f.Region, [...(byRegion.get(f.Region) ?? []), f]);
    for (const [region, list] of byRegion) {
      const client = this.clients.get(region) ?? this.clientFor(region);
      this.clients.set(region, client);
      for (let i = 0; i < list.length; i += BATCH_IMPORT_MAX) {
        const batch = list.slice(i, i + BATCH_IMPORT_MAX);
        const out = await client.send(new BatchImportFindingsCommand({ Findings: batch as unknown as AwsSecurityFinding[] }));
        if (out.FailedCount) {
          const failed = (out.FailedFindings ?? []).slice(0, 3).map((f) => `${f.Id}: ${f.ErrorCode} ${f.ErrorMessage}`);
          throw new Error(`Security Hub refused ${out.FailedCount} of ${batch.length} findings in ${region} (${failed.join('; ')})`);
        }
      }
    }
  }
}

/** An exporter whose client for each region is built from `configFor(region)`. */
export const createSecurityHubExporter = (configFor: (region: string) => SecurityHubClientConfig): SecurityHubExporter =>
  new SecurityHubExporter((region) => new SecurityHubClient({ region, ...configFor(region) }));
