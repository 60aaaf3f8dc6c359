/** Collects what would be published and renders it for a person: the Slack notification and the email text. */
import type { Publisher, ScanIdentity } from '../app/tracked-scan.js';
import type { ClusterOutcome, News } from '../core/drift/track.js';
import { renderClusterNews } from '../core/notify/render.js';

export class PreviewPublisher implements Publisher {
  private readonly messages: { cluster: string; subject: string; slack: unknown; email: string; attributes: Record<string, { StringValue: string }> }[] = [];

  async publish(outcome: ClusterOutcome, news: News, scan: ScanIdentity): Promise<void> {
    for (const part of renderClusterNews(outcome, news, { scanId: scan.scanId, generatedAt: scan.generatedAt.toISOString() })) {
      const body = JSON.parse(part.message) as { default: string; email: string };
      this.messages.push({ cluster: outcome.key.cluster, subject: part.subject, slack: JSON.parse(body.default), email: body.email, attributes: part.attributes });
    }
  }

  render(): string {
    if (this.messages.length === 0) return 'Nothing to publish: nothing changed.\n';
    const rule = '-'.repeat(78);
    return this.messages
      .map((m) =>
        [
          rule,
          `Would publish to SNS - subject: ${m.subject}`,
          `attributes: ${Object.entries(m.attributes).map(([k, v]) => `${k}=${v.StringValue}`).join('  ')}`,
          '',
          'Slack (Amazon Q Developer in chat applications custom notification):',
          JSON.stringify(m.slack, null, 2),
          '',
          'Email:',
          m.email,
          '',
        ].join('\n'),
      )
      .join('\n');
  }
}
