/** Publishes a cluster's news to the SNS topic: one message per cluster (split into parts when large). */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { ClusterOutcome, News } from '../core/drift/track.js';
import { renderClusterNews, type SnsPublish } from '../core/notification/render.js';
import { renderDigest } from '../core/notification/digest.js';
import type { Publisher, RegionDigest, ScanIdentity } from '../app/ports.js';

/** The region of an ARN (arn:partition:service:region:account:resource): a topic is published to in its own region. */
export const regionOfArn = (arn: string): string => arn.split(':')[3] ?? '';

export class SnsPublisher implements Publisher {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {}

  async publish(outcome: ClusterOutcome, news: News, scan: ScanIdentity): Promise<void> {
    await this.send(renderClusterNews(outcome, news, { scanId: scan.scanId, generatedAt: scan.generatedAt.toISOString() }));
  }

  async publishDigest(digest: RegionDigest, scan: ScanIdentity): Promise<void> {
    await this.send(renderDigest(digest, { scanId: scan.scanId, generatedAt: scan.generatedAt.toISOString() }));
  }

  /** Parts go out in order; if one fails, the whole news is published again next run (at least once). */
  private async send(parts: SnsPublish[]): Promise<void> {
    for (const part of parts) {
      await this.sns.send(
        new PublishCommand({
          TopicArn: this.topicArn,
          Subject: part.subject,
          Message: part.message,
          MessageStructure: part.messageStructure,
          MessageAttributes: part.attributes,
        }),
      );
    }
  }
}
