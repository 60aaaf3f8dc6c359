/** Collects what would be published and renders it for a person: the Slack notification and the email text. */
import type { Publisher, RegionDigest, ScanIdentity } from '../app/ports.js';
import { renderDigestParts } from '../core/notification/digest.js';
import type { ClusterOutcome, News } from '../core/drift/track.js';
import { renderClusterNewsParts, type RenderedPart } from '../core/notification/render.js';

export class PreviewPublisher implements Publisher {
  private readonly parts: RenderedPart[] = [];

  async publish(outcome: ClusterOutcome, news: News, scan: ScanIdentity): Promise<void> {
    this.parts.push(...renderClusterNewsParts(outcome, news, { scanId: scan.scanId, generatedAt: scan.generatedAt.toISOString() }));
  }

  async publishDigest(digest: RegionDigest, scan: ScanIdentity): Promise<void> {
    this.parts.push(...renderDigestParts(digest, { scanId: scan.scanId, generatedAt: scan.generatedAt.toISOString() }));
  }

  render(): string {
    if (this.parts.length === 0) return 'Nothing to publish: nothing changed.\n';
    const rule = '-'.repeat(78);
    return this.parts
      .map((part) =>
        [
          rule,
          `Would publish to SNS - subject: ${part.subject}`,
          `attributes: ${Object.entries(part.attributes)
            .map(([k, v]) => `${k}=${v.StringValue}`)
            .join('  ')}`,
          '',
          'Slack (Amazon Q Developer in chat applications custom notification):',
          JSON.stringify(part.chat, null, 2),
          '',
          'Email:',
          part.email,
          '',
        ].join('\n'),
      )
      .join('\n');
  }
}
