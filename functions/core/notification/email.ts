/** The plain-text email version of a part: remediation commands on their own lines. */
import { lifecycleNote, type Context, type PartContent } from './part-context.js';

export function renderEmail(ctx: Context, part: PartContent): string {
  const { account, region, cluster } = ctx.outcome.key;
  const { scanId, generatedAt } = ctx.options;
  const { numbers, split, last, label: partLabel, findings, changes, notes } = part;
  return [
    `eksguard: ${ctx.longCounts} on ${cluster} (${account}, ${region})`,
    ...(split ? [`This is ${partLabel}: items ${numbers.first}-${last} of ${ctx.totalItems}. The other parts carry the rest.`] : []),
    '',
    `Cluster:  ${cluster}`,
    `Account:  ${account}`,
    `Region:   ${region}${ctx.location.partition && ctx.location.partition !== 'aws' ? ` (partition ${ctx.location.partition})` : ''}`,
    `Console:  ${ctx.location.consoleUrl ?? `(no link: ${ctx.location.noConsoleReason})`}`,
    `Scan:     ${scanId} at ${generatedAt}`,
    ...(lifecycleNote(ctx.outcome).length ? ['', ...lifecycleNote(ctx.outcome)] : []),
    ...(findings.length ? ['', `FINDINGS (${findings.length}, most severe first)`, '', ...findings.flatMap((i) => [...i.emailLines, ''])] : []),
    ...(changes.length ? ['', `CHANGES (${changes.length}, before -> after)`, '', ...changes.flatMap((i) => i.emailLines), ''] : []),
    ...notes,
    '--',
    'Sent by eksguard. Review each command before running it.',
  ]
    .join('\n')
    .replace(/\n{3,}/g, '\n\n');
}
