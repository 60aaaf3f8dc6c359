/** Publishes each cluster's news as one structured log entry (the CloudWatch Logs channel). */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { ClusterOutcome } from '../core/drift/track.js';
import type { News, Publisher, RegionDigest, ScanIdentity } from '../app/ports.js';

export class LogPublisher implements Publisher {
  constructor(private readonly logger: Logger) {}

  /** In the log a digest is each cluster's entry: a log has no flood to avoid. */
  async publishDigest(digest: RegionDigest, scan: ScanIdentity): Promise<void> {
    for (const { outcome, news } of digest.clusters) await this.publish(outcome, news, scan);
  }

  async publish(outcome: ClusterOutcome, news: News, scan: ScanIdentity): Promise<void> {
    this.logger.info('cluster news', {
      scanId: scan.scanId,
      cluster: outcome.key,
      kind: outcome.kind,
      findings: news.results.map(({ policy, status, severity, transition, message, exception }) => ({
        policy,
        status,
        severity,
        transition,
        message,
        ...(exception ? { exception } : {}),
      })),
      changes: news.changes.map(({ path, summary }) => ({ path, summary })),
    });
  }
}
