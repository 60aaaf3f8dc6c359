/** The SNS message attributes of a part (what subscription filter policies route on). */
import { severityRank, type Severity } from '../severities.js';
import { KINDS, type Kind, type PreparedItem } from './items.js';
import type { Context } from './part-context.js';
import { POLICY_IDS_ATTRIBUTE_MAX_BYTES } from './sns-limits.js';
import { dedupe, utf8 } from './text.js';

export interface SnsMessageAttribute {
  DataType: 'String' | 'String.Array' | 'Number';
  StringValue: string;
}

export function attributesFor(ctx: Context, items: PreparedItem[]): { attributes: Record<string, SnsMessageAttribute>; policyIdsListed: number; policyIdsTotal: number } {
  const { account, region, cluster } = ctx.outcome.key;
  const findings = items.filter((i) => i.severity !== undefined);
  const highest = (list: PreparedItem[]) => distinctSeverities(list)[0] ?? 'none';
  const kinds = new Set<Kind>(items.map((i) => i.kind));
  if (ctx.outcome.kind === 'new') kinds.add('cluster-new');
  if (ctx.outcome.kind === 'deleted') kinds.add('cluster-deleted');

  const policies = dedupe(findings.flatMap((i) => (i.policy ? [i.policy] : [])));
  let listed = policies.length;
  while (listed > 0 && utf8(JSON.stringify(policies.slice(0, listed))) > POLICY_IDS_ATTRIBUTE_MAX_BYTES) listed--;

  const attributes: Record<string, SnsMessageAttribute> = {};
  const put = (name: string, DataType: SnsMessageAttribute['DataType'], StringValue: string) => {
    if (StringValue !== '' && StringValue !== '[]') attributes[name] = { DataType, StringValue };
  };
  put('severity', 'String', highest(findings));
  put('actionSeverity', 'String', highest(findings.filter((i) => i.actionable)));
  put('severities', 'String.Array', JSON.stringify(distinctSeverities(findings)));
  put('kind', 'String.Array', JSON.stringify(KINDS.filter((k) => kinds.has(k))));
  put('cluster', 'String', cluster);
  put('account', 'String', account);
  put('region', 'String', region);
  put('scanId', 'String', ctx.options.scanId);
  put('policyIds', 'String.Array', JSON.stringify(policies.slice(0, listed)));
  return { attributes, policyIdsListed: listed, policyIdsTotal: policies.length };
}

export const distinctSeverities = (items: PreparedItem[]): Severity[] =>
  dedupe(items.flatMap((i) => (i.severity ? [i.severity] : []))).sort((a, b) => severityRank(b) - severityRank(a));
