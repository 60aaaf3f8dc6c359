/** What every part of one cluster's news repeats: where the cluster is, the counts, the emoji, the thread. */
import type { ClusterOutcome, News } from '../drift/track.js';
import { severityRank } from '../severities.js';
import { clusterLocation, type ClusterLocation } from './cluster-location.js';
import { isLifecycleChange, transitionOf, type Kind, type PreparedItem } from './items.js';
import { SNS_LIMITS } from './sns-limits.js';
import { sanitizeId } from './text.js';

export interface RenderOptions {
  scanId: string;
  /** ISO timestamp of the scan. */
  generatedAt: string;
  /** The topic's MaximumMessageSize in bytes (default 262,144, the SNS default). */
  maxMessageBytes?: number;
}

export interface Context {
  outcome: ClusterOutcome;
  options: RenderOptions;
  maxBytes: number;
  location: ClusterLocation;
  totalItems: number;
  /** "3 new findings, 1 resolved, 2 changes" for the whole news. */
  longCounts: string;
  shortCounts: string[];
  emoji: string;
  threadId: string;
}

export interface PartNumbers {
  index: number;
  count: number;
  /** 1-based number of the part's first item among all items. */
  first: number;
}

export function context(outcome: ClusterOutcome, news: News, options: RenderOptions, totalItems: number): Context {
  const { account, region, cluster } = outcome.key;
  const tally = new Map<Kind, number>();
  for (const r of news.results) tally.set(transitionOf(r), (tally.get(transitionOf(r)) ?? 0) + 1);
  for (const c of news.changes) if (!isLifecycleChange(c)) tally.set('drift', (tally.get('drift') ?? 0) + 1);
  const n = (k: Kind) => tally.get(k) ?? 0;
  const s = (count: number, word: string, plural = `${word}s`) => `${count} ${count === 1 ? word : plural}`;
  const lifecycleLong = outcome.kind === 'new' ? ['new cluster'] : outcome.kind === 'deleted' ? ['cluster deleted'] : outcome.kind === 'unreadable' ? ['cluster unreadable'] : [];
  const lifecycleShort = outcome.kind === 'new' ? ['new cluster'] : outcome.kind === 'deleted' ? ['deleted'] : outcome.kind === 'unreadable' ? ['unreadable'] : [];
  const long = [
    ...lifecycleLong,
    n('new') && s(n('new'), 'new finding'),
    n('exception-expired') && s(n('exception-expired'), 'expired exception'),
    n('error') && s(n('error'), 'check that could not run', 'checks that could not run'),
    n('ongoing') && s(n('ongoing'), 'reminder'),
    n('excepted') && `${n('excepted')} excepted`,
    n('resolved') && `${n('resolved')} resolved`,
    n('drift') && s(n('drift'), 'change'),
  ].filter((x): x is string => typeof x === 'string' && x !== '');
  const short = [
    ...lifecycleShort,
    n('new') && `${n('new')} new`,
    n('exception-expired') && `${n('exception-expired')} expired`,
    n('error') && s(n('error'), 'error'),
    n('ongoing') && s(n('ongoing'), 'reminder'),
    n('excepted') && `${n('excepted')} excepted`,
    n('resolved') && `${n('resolved')} resolved`,
    n('drift') && s(n('drift'), 'change'),
  ].filter((x): x is string => typeof x === 'string' && x !== '');

  const urgent = news.results.some((r) => (transitionOf(r) === 'new' || transitionOf(r) === 'exception-expired') && severityRank(r.severity) >= severityRank('high'));
  const emoji =
    outcome.kind === 'deleted'
      ? ':wastebasket:'
      : urgent
        ? ':rotating_light:'
        : n('new') + n('exception-expired') + n('ongoing') > 0
          ? ':warning:'
          : n('error') > 0 || outcome.kind === 'unreadable'
            ? ':x:'
            : outcome.kind === 'new'
              ? ':new:'
              : n('drift') > 0
                ? ':mag:'
                : n('resolved') > 0
                  ? ':white_check_mark:'
                  : ':information_source:';
  return {
    outcome,
    options,
    maxBytes: options.maxMessageBytes ?? SNS_LIMITS.messageBytes,
    location: clusterLocation(account, region, cluster),
    totalItems,
    longCounts: long.join(', ') || 'news',
    shortCounts: short.length ? short : ['news'],
    emoji,
    threadId: sanitizeId(`eksguard-${account}-${region}-${cluster}`),
  };
}

export function lifecycleNote(outcome: ClusterOutcome): string[] {
  switch (outcome.kind) {
    case 'new':
      return ['First scan of this cluster: its findings are reported as new.'];
    case 'deleted':
      return ['The cluster no longer exists: its open findings are resolved.'];
    case 'unreadable':
      return ['The cluster could not be read: the checks below could not run, earlier findings are kept as they were.'];
    default:
      return [];
  }
}

/** One part's share of the items, and what its chat and email versions both show. */
export interface PartContent {
  items: PreparedItem[];
  numbers: PartNumbers;
  split: boolean;
  /** 1-based number of the part's last item among all items. */
  last: number;
  /** "part 2 of 5". */
  label: string;
  findings: PreparedItem[];
  changes: PreparedItem[];
  /** Notes both versions end with (e.g. a shortened attribute). */
  notes: string[];
}
