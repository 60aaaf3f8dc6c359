/**
 * Which drawn element shows which failing result. Each policy names the kinds of element it is
 * about (its `diagram`); a result marks the elements of those kinds that its message names (by resource id,
 * "node group <name>", ...). When its message names none of them (or it could not be
 * evaluated), it marks the policy's fallback element; when that is not drawn either, the
 * control-plane box. Every fail and error result therefore lands on at least one element. Pure.
 */
import type { ReportResult } from '../report.js';
import type { ClusterLayout, DiagramElement, ElementKind } from './layout.js';

/** Where a policy's results are drawn: its `diagram` (policy-schema.ts). */
export interface PolicyPlace {
  /** Kinds of element marked when the message names them. */
  named: readonly ElementKind[];
  /** Kinds marked, the first that is drawn, when no named element matched. */
  fallback: readonly ElementKind[];
}

/** For a policy without a `diagram` (a team's own policy): whatever network element its message names. */
const DEFAULT_PLACE: PolicyPlace = { named: ['subnet', 'gateway', 'nacl', 'vpc-endpoint', 'sg', 'nodegroup', 'fargate', 'node', 'vpc'], fallback: [] };

/** The places of the policies that say where their results belong, by policy id. */
export function policyPlaces(policies: readonly { id: string; diagram?: PolicyPlace }[]): ReadonlyMap<string, PolicyPlace> {
  return new Map(policies.flatMap((p) => (p.diagram ? [[p.id, p.diagram] as const] : [])));
}

export interface Mark {
  /** The result's number in its cluster's findings list (1-based). */
  number: number;
  policy: string;
  status: 'fail' | 'error';
  message: string;
}

export interface ClusterMarks {
  /** Element key -> the marks drawn on it, in findings order. */
  byElement: Map<string, Mark[]>;
  /** Connector key -> marks of results that mark both of its ends (a broken path). */
  byConnector: Map<string, Mark[]>;
  /** Result number -> element keys it is drawn on. */
  placements: Map<number, string[]>;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `name` occurs in `message` as a whole token (not as the prefix of a longer id or name). */
export function mentions(message: string, name: string): boolean {
  return new RegExp(`(^|[^\\w-])${escapeRegExp(name)}(?![\\w-])`).test(message);
}

/**
 * A security-group arrow is named when the failing part of the message for its node unit gives
 * its direction: the message lists units as "<label>: ..." in turn.
 */
function namesArrow(message: string, element: DiagramElement, labels: readonly string[]): boolean {
  const label = element.names[0]!;
  const start = message.indexOf(`${label}: `);
  if (start < 0) return false;
  const after = start + label.length + 2;
  const next = Math.min(
    ...labels
      .filter((l) => l !== label)
      .map((l) => message.indexOf(`${l}: `, after))
      .filter((i) => i >= 0),
    message.length,
  );
  const segment = message.slice(after, next);
  return (
    segment.includes(element.direction ?? '') ||
    (segment.includes('no longer allows traffic from itself') && segment.includes(element.key.includes(':443:') ? 'TCP 443' : 'TCP 10250'))
  );
}

function named(message: string, element: DiagramElement, labels: readonly string[]): boolean {
  if (element.kind === 'edge') return namesArrow(message, element, labels);
  return element.names.some((n) => n !== '' && mentions(message, n));
}

/** The elements one result is drawn on. */
export function placeResult(result: Pick<ReportResult, 'policy' | 'message'>, layout: ClusterLayout, places: ReadonlyMap<string, PolicyPlace>): DiagramElement[] {
  const rule = places.get(result.policy) ?? DEFAULT_PLACE;
  const labels = layout.elements.filter((e) => e.kind === 'unit' && e.names.length).map((e) => e.names[0]!);
  const sectionErrors = layout.elements.filter((e) => e.kind === 'section-error' && named(result.message, e, labels));
  if (sectionErrors.length) return sectionErrors;
  const hits = layout.elements.filter((e) => rule.named.includes(e.kind) && named(result.message, e, labels));
  if (hits.length) return hits;
  for (const kind of rule.fallback) {
    const fallback = layout.elements.filter((e) => e.kind === kind);
    if (fallback.length) return fallback;
  }
  return layout.elements.filter((e) => e.kind === 'control-plane');
}

const isMarked = (r: ReportResult): r is ReportResult & { status: 'fail' | 'error' } => r.status === 'fail' || r.status === 'error';

/** Marks for a cluster's results, numbered in the order given (the findings order). */
export function markResults(results: readonly ReportResult[], layout: ClusterLayout, places: ReadonlyMap<string, PolicyPlace>): ClusterMarks {
  const byElement = new Map<string, Mark[]>();
  const byConnector = new Map<string, Mark[]>();
  const placements = new Map<number, string[]>();
  results.forEach((r, i) => {
    if (!isMarked(r)) return;
    const mark: Mark = { number: i + 1, policy: r.policy, status: r.status, message: r.message };
    const keys = placeResult(r, layout, places).map((e) => e.key);
    placements.set(mark.number, keys);
    for (const key of keys) byElement.set(key, [...(byElement.get(key) ?? []), mark]);
    for (const c of layout.connectors) {
      if (keys.includes(c.from) && keys.includes(c.to)) byConnector.set(c.key, [...(byConnector.get(c.key) ?? []), mark]);
    }
  });
  return { byElement, byConnector, placements };
}
