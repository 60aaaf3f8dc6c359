/** Publishes a cluster's news to the SNS topic: one message per cluster (split into parts when large). */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { ClusterOutcome, News } from '../core/drift/track.js';
import { renderClusterNews } from '../core/notification/render.js';
import type { Publisher, ScanIdentity } from '../app/ports.js';

/** The region of an ARN (arn:partition:service:region:account:resource): a topic is published to in its own region. */
export const regionOfArn = (arn: string): string => arn.split(':')[3] ?? '';

export class SnsPublisher implements Publisher {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {}

  async publish(outcome: ClusterOutcome, news: News, scan: ScanIdentity): Promise<void> {
    // Parts go out in order; if one fails, the whole news is published again next run (at least once).
    for (const part of renderClusterNews(outcome, news, { scanId: scan.scanId, generatedAt: scan.generatedAt.toISOString() })) {
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
