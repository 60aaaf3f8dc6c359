/** The chat (Slack) version of a part: an Amazon Q Developer custom notification in client-markdown. */
import { distinctSeverities } from './attributes.js';
import { CHAT_CAPS, CHAT_LIMITS } from './chat-limits.js';
import type { ChatNotification } from './chat-notification.js';
import { lifecycleNote, type Context, type PartContent } from './part-context.js';
import { code, dedupe, escapeMrkdwn, fitText, sanitizeId } from './text.js';

export function renderChat(ctx: Context, part: PartContent): ChatNotification {
  const { account, region, cluster } = ctx.outcome.key;
  const { scanId, generatedAt } = ctx.options;
  const { items, numbers, split, last, label: partLabel, findings, changes, notes } = part;
  const severities = distinctSeverities(findings);
  const title = fitText(`${ctx.emoji} eksguard: ${ctx.longCounts} on ${cluster} (${account}, ${region})`, CHAT_LIMITS.title, split ? ` (${partLabel})` : '');
  const header = [
    `*Cluster* ${code(cluster)} · account ${code(account)} · region ${code(region)}`,
    ctx.location.consoleUrl
      ? `<${ctx.location.consoleUrl}|Open ${escapeMrkdwn(cluster)} in the EKS console>`
      : `_No console link: ${escapeMrkdwn(ctx.location.noConsoleReason ?? '')}._`,
    `Scan ${code(scanId)} at ${escapeMrkdwn(generatedAt)}${split ? ` · *${partLabel}* (items ${numbers.first}–${last} of ${ctx.totalItems}; the other parts carry the rest)` : ''}`,
    ...lifecycleNote(ctx.outcome).map((l) => `_${escapeMrkdwn(l)}_`),
  ];
  const body: string[] = [];
  if (findings.length) body.push('', '*Findings* (most severe first)', ...findings.map((i) => i.chatLine));
  if (changes.length) body.push('', '*Changes* (before → after)', ...changes.map((i) => i.chatLine));
  const description = [...header, ...body, ...(notes.length ? ['', ...notes.map((n) => `_${escapeMrkdwn(n)}_`)] : [])].join('\n');

  const steps = dedupe(items.flatMap((i) => (i.nextStep ? [i.nextStep] : [])));
  const nextSteps =
    steps.length <= CHAT_CAPS.nextSteps
      ? steps
      : [...steps.slice(0, CHAT_CAPS.nextSteps - 1), `… and ${steps.length - (CHAT_CAPS.nextSteps - 1)} more remediations: the email version of this alert lists every command.`];
  const keywords = dedupe([...severities, cluster, region, 'eksguard'].map((k) => fitText(k, CHAT_LIMITS.keyword))).slice(0, CHAT_CAPS.keywords);
  const related = dedupe([...(ctx.location.clusterArn ? [ctx.location.clusterArn] : []), ...items.flatMap((i) => i.related)]);
  const relatedResources =
    related.length <= CHAT_CAPS.relatedResources ? related : [...related.slice(0, CHAT_CAPS.relatedResources), `… and ${related.length - CHAT_CAPS.relatedResources} more`];
  const additionalContext: Record<string, string> = {
    account,
    region,
    cluster,
    scanId,
    generatedAt,
    part: `${numbers.index}/${numbers.count}`,
    items: `${numbers.first}-${last} of ${ctx.totalItems}`,
    ...(ctx.location.partition ? { partition: ctx.location.partition } : {}),
    ...(ctx.location.clusterArn ? { clusterArn: ctx.location.clusterArn } : {}),
    ...(ctx.location.consoleUrl ? { consoleUrl: ctx.location.consoleUrl } : {}),
  };
  for (const [k, v] of Object.entries(additionalContext)) additionalContext[k] = fitText(v, CHAT_CAPS.additionalContextValue);

  return {
    version: '1.0',
    source: 'custom',
    id: sanitizeId(`eksguard-${scanId}-${account}-${region}-${cluster}-${numbers.index}-of-${numbers.count}`),
    content: {
      textType: 'client-markdown',
      title,
      description,
      ...(nextSteps.length ? { nextSteps } : {}),
      keywords,
    },
    metadata: {
      threadId: ctx.threadId,
      summary: fitText(`eksguard: ${ctx.longCounts} on ${cluster} (${account}, ${region})`, CHAT_CAPS.summary, split ? ` (${partLabel})` : ''),
      eventType: 'eksguard-cluster-news',
      relatedResources,
      additionalContext,
      enableCustomActions: true,
    },
  };
}
