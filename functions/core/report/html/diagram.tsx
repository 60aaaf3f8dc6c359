/**
 * Draws one cluster's computed layout as inline SVG, with its failing results on the elements
 * they concern: red outline for fail, amber for error, and a numbered badge per result that
 * links to the finding below the diagram. Colours come from the page's stylesheet (styles.ts).
 */
import type { ComponentChildren } from 'preact';
import type { ClusterLayout, Connector, DiagramElement, Frame, TextSpan } from './layout.js';
import { METRICS } from './layout.js';
import type { ClusterMarks, Mark } from './marks.js';

interface DiagramProps {
  layout: ClusterLayout;
  marks: ClusterMarks;
  /** Unique per document: prefixes the SVG's own ids and the finding anchors it links to. */
  idPrefix: string;
  label: string;
}

const worst = (marks: readonly Mark[]) => (marks.some((m) => m.status === 'fail') ? 'fail' : 'error');
const policiesOf = (marks: readonly Mark[]) => [...new Set(marks.map((m) => m.policy))].join(' ');

export function Diagram({ layout, marks, idPrefix, label }: DiagramProps) {
  const children = new Map<string, DiagramElement[]>();
  const framesIn = new Map<string, Frame[]>();
  const topLevel: DiagramElement[] = [];
  for (const e of layout.elements) {
    if (e.parent) children.set(e.parent, [...(children.get(e.parent) ?? []), e]);
    else topLevel.push(e);
  }
  const controlPlanePanels = layout.frames.filter((f) => f.key.startsWith('panel-'));
  framesIn.set('control-plane', controlPlanePanels);
  const background = layout.frames.filter((f) => !f.key.startsWith('panel-'));
  const ordered = [...layout.connectors].sort((a, b) => Number(marks.byConnector.has(a.key)) - Number(marks.byConnector.has(b.key)));
  const context: DrawContext = { children, framesIn, marks, idPrefix };
  return (
    <svg
      class="wiring"
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      width={layout.width}
      height={layout.height}
      role="img"
      aria-label={label}
    >
      <title>{label}</title>
      <defs>
        {(['plain', 'fail', 'error'] as const).map((tone) => (
          <marker id={`${idPrefix}-head-${tone}`} class={`head head-${tone}`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" />
          </marker>
        ))}
      </defs>
      {background.map((f) => (
        <FrameShape frame={f} />
      ))}
      {ordered.map((c) => (
        <ConnectorPath connector={c} marks={marks.byConnector.get(c.key)} />
      ))}
      {topLevel.map((e) => (
        <ElementShape element={e} context={context} />
      ))}
    </svg>
  );
}

interface DrawContext {
  children: Map<string, DiagramElement[]>;
  framesIn: Map<string, Frame[]>;
  marks: ClusterMarks;
  idPrefix: string;
}

function Texts({ texts }: { texts: readonly TextSpan[] }) {
  return (
    <>
      {texts.map((t) => (
        <text
          x={t.x}
          y={t.y}
          class={['t', t.bold ? 'b' : '', t.tone ? `tone-${t.tone}` : '', t.size === METRICS.title ? 'big' : ''].filter(Boolean).join(' ')}
          {...(t.anchor === 'middle' ? { 'text-anchor': 'middle' } : {})}
        >
          {t.text !== t.full ? <title>{t.full}</title> : null}
          {t.text}
        </text>
      ))}
    </>
  );
}

function FrameShape({ frame }: { frame: Frame }) {
  return (
    <g class={`frame frame-${frame.variant}`}>
      {frame.h > 0 ? <rect x={frame.x} y={frame.y} width={frame.w} height={frame.h} rx={frame.variant === 'vpc' ? 10 : 6} /> : null}
      <Texts texts={frame.texts} />
    </g>
  );
}

function ConnectorPath({ connector, marks }: { connector: Connector; marks: Mark[] | undefined }) {
  const d = connector.points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${x},${y}`).join(' ');
  return (
    <path
      class={`route ${marks ? `is-${worst(marks)}` : ''}`}
      d={d}
      data-route-from={connector.from.replace(/^subnet:/, '')}
      {...(marks ? { 'data-policy': policiesOf(marks), 'data-status': worst(marks) } : {})}
    >
      {marks ? <title>{marks.map((m) => `#${m.number} ${m.policy}: ${m.message}`).join('\n')}</title> : null}
    </path>
  );
}

function ElementShape({ element: e, context }: { element: DiagramElement; context: DrawContext }): ComponentChildren {
  const marks = context.marks.byElement.get(e.key) ?? [];
  const status = marks.length ? worst(marks) : undefined;
  const classes = ['el', `el-${e.kind}`, `shape-${e.shape}`, e.variant ? `v-${e.variant}` : '', status ? `is-${status}` : ''].filter(Boolean).join(' ');
  const hooks: Record<string, string> = { 'data-element': e.kind };
  if (e.resourceId) hooks['data-resource-id'] = e.resourceId;
  if (e.nodegroup) hooks['data-nodegroup'] = e.nodegroup;
  if (status) {
    hooks['data-policy'] = policiesOf(marks);
    hooks['data-status'] = status;
  }
  const tone = status ?? 'plain';
  return (
    <g class={classes} {...hooks}>
      {e.shape === 'arrow' && e.line ? (
        <>
          <rect class="hit" x={e.x} y={e.y} width={e.w} height={e.h} />
          <line x1={e.line.x1} y1={e.line.y1} x2={e.line.x2} y2={e.line.y2} marker-end={`url(#${context.idPrefix}-head-${tone})`} />
        </>
      ) : (
        <rect x={e.x} y={e.y} width={e.w} height={e.h} rx={e.shape === 'row' ? 3 : 6} />
      )}
      <Texts texts={e.texts} />
      {(context.framesIn.get(e.key) ?? []).map((f) => (
        <FrameShape frame={f} />
      ))}
      {(context.children.get(e.key) ?? []).map((c) => (
        <ElementShape element={c} context={context} />
      ))}
      {marks.map((m, i) => (
        <Badge mark={m} element={e} index={i} idPrefix={context.idPrefix} />
      ))}
    </g>
  );
}

function Badge({ mark, element, index, idPrefix }: { mark: Mark; element: DiagramElement; index: number; idPrefix: string }) {
  const perLine = Math.max(1, Math.floor((element.w - 8) / METRICS.badgeStep));
  const x = element.badge.x - (index % perLine) * METRICS.badgeStep;
  const y = element.badge.y + Math.floor(index / perLine) * METRICS.badgeStep;
  const r = METRICS.badgeRadius;
  return (
    <a href={`#${idPrefix}-finding-${mark.number}`} class={`badge is-${mark.status}`} data-policy={mark.policy} data-status={mark.status} data-finding={mark.number}>
      <title>{`#${mark.number} ${mark.status.toUpperCase()} ${mark.policy}: ${mark.message}`}</title>
      <circle cx={x} cy={y} r={r} />
      <text x={x} y={y + 3.5} text-anchor="middle">
        {String(mark.number)}
      </text>
    </a>
  );
}
