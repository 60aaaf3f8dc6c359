/**
 * Where everything of one cluster's wiring diagram goes: boxes, text lines (fitted to their
 * box), gateway connectors and security-group arrows, in SVG user units. Computed from the
 * wiring alone, so that it stays legible from 1 to 6 Availability Zones and many subnets:
 * zones are columns, subnets stack in their zone, gateways sit in one row under the zones with
 * one lane per gateway, node groups stack on the right of the security-group panel. Pure.
 */
import type { ClusterWiring, GatewayView, NodeUnitView, SecurityGroupView, SubnetView } from './wiring.js';

import type { ElementKind } from './element-kinds.js';
export type { ElementKind } from './element-kinds.js';

export type Tone = 'plain' | 'muted' | 'bad' | 'good' | 'accent';

export interface TextSpan {
  text: string;
  /** The unshortened text (shown as a tooltip when `text` had to be cut). */
  full: string;
  x: number;
  y: number;
  size: number;
  bold?: boolean;
  tone?: Tone;
  anchor?: 'start' | 'middle';
}

export interface DiagramElement {
  key: string;
  kind: ElementKind;
  /** The key of the element this one is drawn inside. */
  parent?: string;
  x: number;
  y: number;
  w: number;
  h: number;
  shape: 'box' | 'row' | 'arrow';
  variant?: 'missing' | 'public' | 'control-plane' | 'panel';
  resourceId?: string;
  nodegroup?: string;
  texts: TextSpan[];
  /** Phrases a result message uses to name this element (ids, "node group <name>", ...). */
  names: string[];
  /** Arrows: the direction phrase a failure message gives for this path. */
  direction?: string;
  line?: { x1: number; y1: number; x2: number; y2: number };
  /** Where the first failure badge goes; further badges stack to its left. */
  badge: { x: number; y: number };
}

export interface Frame {
  key: string;
  x: number;
  y: number;
  w: number;
  h: number;
  variant: 'vpc' | 'zone' | 'zone-missing' | 'panel';
  texts: TextSpan[];
}

export interface Connector {
  key: string;
  from: string;
  to: string;
  points: [number, number][];
}

export interface ClusterLayout {
  width: number;
  height: number;
  frames: Frame[];
  elements: DiagramElement[];
  connectors: Connector[];
}

export const METRICS = {
  pad: 16,
  body: 11,
  title: 12,
  line: 15,
  /** Width of one character as a share of the font size (monospace, with a margin). */
  charWidth: 0.62,
  columnWidth: 200,
  gatewayWidth: 200,
  sgBoxWidth: 250,
  arrowGap: 250,
  minContentWidth: 800,
  badgeRadius: 8,
  badgeStep: 20,
  maxCidrs: 6,
  maxUnits: 12,
  maxNodesPerSubnet: 3,
} as const;

const M = METRICS;

/** `text` cut with an ellipsis to fit `width` at font `size`. */
export function fit(text: string, width: number, size: number): string {
  const max = Math.max(1, Math.floor(width / (size * M.charWidth)));
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

export const textWidth = (text: string, size: number) => text.length * size * M.charWidth;

/** The first of `candidates` that fits `width` at the body size, else `fallback` (cut if need be). */
const firstFitting = (candidates: readonly string[], fallback: string, width: number) => candidates.find((c) => textWidth(c, M.body) <= width) ?? fallback;

interface Line {
  text: string;
  bold?: boolean;
  tone?: Tone;
  size?: number;
}

const span = (line: Line, x: number, y: number, width: number): TextSpan => {
  const size = line.size ?? M.body;
  return {
    text: fit(line.text, width, size),
    full: line.text,
    x,
    y,
    size,
    ...(line.bold ? { bold: true } : {}),
    ...(line.tone && line.tone !== 'plain' ? { tone: line.tone } : {}),
  };
};

/** Text lines stacked from `top` (the first baseline is one line below it); `firstWidth` for the first. */
function stack(lines: Line[], x: number, top: number, width: number, firstWidth = width): TextSpan[] {
  return lines.map((l, i) => span(l, x, top + (i + 1) * M.line - 4, i === 0 ? firstWidth : width));
}

const rowHeight = (lines: number) => lines * M.line + 5;
const SG_ROW = rowHeight(2) + 2;
const onOff = (v: boolean) => (v ? 'on' : 'off');

class Builder {
  readonly frames: Frame[] = [];
  readonly elements: DiagramElement[] = [];
  readonly connectors: Connector[] = [];

  add(e: Omit<DiagramElement, 'badge'> & { badge?: DiagramElement['badge'] }): DiagramElement {
    const badge = e.badge ?? (e.shape === 'row' ? { x: e.x + e.w - 12, y: e.y + e.h / 2 } : { x: e.x + e.w - 14, y: e.y });
    const element = { ...e, badge };
    this.elements.push(element);
    return element;
  }

  /** A row of text lines inside a panel, as one markable element. */
  row(key: string, kind: ElementKind, lines: Line[], x: number, y: number, w: number, extra: Partial<DiagramElement> = {}): DiagramElement {
    const h = rowHeight(lines.length);
    return this.add({ key, kind, x, y, w, h, shape: 'row', texts: stack(lines, x + 6, y, w - 12 - M.badgeStep), names: [], ...extra });
  }
}

export function layoutCluster(wiring: ClusterWiring): ClusterLayout {
  const b = new Builder();
  const gateways = wiring.gateways;
  const gutter = 20 + 6 * Math.max(1, gateways.length);
  const columnsWidth = wiring.columns.length * (M.columnWidth + gutter) + 24 - gutter + 12;
  const gatewaysWidth = gateways.length * (M.gatewayWidth + 16) + 24;
  const contentWidth = Math.max(M.minContentWidth, columnsWidth, gatewaysWidth);
  const width = contentWidth + 2 * M.pad;
  const left = M.pad;

  const cpBottom = layoutControlPlane(b, wiring, left, M.pad + 4, contentWidth);
  if (wiring.unreadable !== undefined) return { width, height: cpBottom + M.pad, frames: b.frames, elements: b.elements, connectors: b.connectors };
  const vpcBottom = layoutVpc(b, wiring, left, cpBottom + 24, contentWidth, gutter);
  const sgBottom = layoutSecurityGroups(b, wiring, left, vpcBottom + 20, contentWidth);
  return { width, height: sgBottom + M.pad, frames: b.frames, elements: b.elements, connectors: b.connectors };
}

function layoutControlPlane(b: Builder, w: ClusterWiring, x: number, y: number, width: number): number {
  const title = `EKS control plane (AWS-managed) · ${w.name} · ${w.region}`;
  if (w.unreadable !== undefined) {
    const lines: Line[] = [
      { text: title, bold: true, size: M.title },
      { text: `the cluster could not be read: ${w.unreadable}`, tone: 'bad' },
    ];
    const h = rowHeight(lines.length) + 16;
    b.add({ key: 'control-plane', kind: 'control-plane', x, y, w: width, h, shape: 'box', variant: 'control-plane', texts: stack(lines, x + 10, y + 4, width - 20), names: [] });
    return y + h;
  }
  const inner = width - 20;
  const panelW = (inner - 20) / 3;
  const top = y + 24;
  const panels: { title: string; rows: { key: string; kind: ElementKind; lines: Line[]; names?: string[] }[] }[] = [
    {
      title: 'Public endpoint',
      rows: [
        {
          key: 'endpoint-public',
          kind: 'endpoint-public',
          lines: [{ text: `public access: ${onOff(w.endpoint.publicAccess)}`, tone: w.endpoint.publicAccess ? 'plain' : 'muted' }],
        },
        ...(w.endpoint.publicAccess
          ? [
              {
                key: 'allowlist',
                kind: 'allowlist' as const,
                names: ['publicAccessCidrs', 'public endpoint allows'],
                lines: [
                  { text: w.endpoint.publicOnly ? 'allowlist (public-only):' : 'allowlist:' },
                  ...(w.endpoint.allowlist.length === 0
                    ? [{ text: '(empty: 0.0.0.0/0)', tone: 'bad' as const }]
                    : capped(w.endpoint.allowlist, M.maxCidrs).map((c) => ({ text: `  ${c}` }))),
                ],
              },
            ]
          : []),
      ],
    },
    {
      title: 'Private endpoint',
      rows: [
        {
          key: 'endpoint-private',
          kind: 'endpoint-private',
          lines: [{ text: `private access: ${onOff(w.endpoint.privateAccess)}`, tone: w.endpoint.privateAccess ? 'plain' : 'muted' }],
          names: ['endpointPrivateAccess', 'private endpoint access'],
        },
        {
          key: 'vpc-dns',
          kind: 'vpc-dns',
          lines: [
            { text: `VPC DNS support: ${onOff(w.vpc.dnsSupport)}`, tone: w.vpc.dnsSupport ? 'plain' : 'bad' },
            { text: `VPC DNS hostnames: ${onOff(w.vpc.dnsHostnames)}`, tone: w.vpc.dnsHostnames ? 'plain' : 'bad' },
          ],
        },
        {
          key: 'vpc-resolver',
          kind: 'vpc-resolver',
          lines: [
            { text: `resolver: ${w.vpc.resolvers.slice(0, 2).join(', ') || '(none)'}${w.vpc.resolvers.length > 2 ? ` +${w.vpc.resolvers.length - 2}` : ''}` },
            { text: `DHCP options ${w.vpc.dhcpOptionsId}`, tone: 'muted' },
          ],
        },
      ],
    },
    {
      title: 'Cluster settings',
      rows: [
        { key: 'k8s-version', kind: 'k8s-version', lines: [{ text: `Kubernetes ${w.settings.version}` }, { text: w.settings.support, tone: 'muted' }] },
        { key: 'auth-mode', kind: 'auth-mode', lines: [{ text: `access: ${w.settings.authenticationMode}` }] },
        { key: 'logging', kind: 'logging', lines: [{ text: `logs: ${w.settings.logTypes.join(', ') || 'none'}` }] },
        { key: 'encryption', kind: 'encryption', lines: [{ text: `secrets: ${w.settings.secretsKey ? shortKey(w.settings.secretsKey) : 'not envelope-encrypted'}` }] },
        { key: 'deletion-protection', kind: 'deletion-protection', lines: [{ text: `deletion protection: ${onOff(w.settings.deletionProtection)}` }] },
        {
          key: 'cluster-role',
          kind: 'cluster-role',
          lines: [
            { text: `role: ${w.settings.role}` },
            w.settings.roleExists ? { text: `${w.settings.rolePolicies} managed policies attached`, tone: 'muted' } : { text: 'role not found (deleted)', tone: 'bad' },
          ],
        },
        ...(w.settings.autoMode ? [{ key: 'auto-mode', kind: 'compute' as const, lines: [{ text: 'compute: EKS Auto Mode' }] }] : []),
      ],
    },
  ];
  const heights = panels.map((p) => 22 + p.rows.reduce((sum, r) => sum + rowHeight(r.lines.length) + 2, 0) + 4);
  const panelH = Math.max(...heights);
  const h = 24 + panelH + 10;
  b.add({
    key: 'control-plane',
    kind: 'control-plane',
    x,
    y,
    w: width,
    h,
    shape: 'box',
    variant: 'control-plane',
    texts: [span({ text: title, bold: true, size: M.title }, x + 10, y + 17, width - 20 - 4 * M.badgeStep)],
    names: [],
  });
  panels.forEach((panel, i) => {
    const px = x + 10 + i * (panelW + 10);
    b.frames.push({ key: `panel-${i}`, x: px, y: top, w: panelW, h: panelH, variant: 'panel', texts: [span({ text: panel.title, bold: true }, px + 6, top + 15, panelW - 12)] });
    let ry = top + 22;
    for (const r of panel.rows) {
      b.row(r.key, r.kind, r.lines, px + 2, ry, panelW - 4, { parent: 'control-plane', names: r.names ?? [] });
      ry += rowHeight(r.lines.length) + 2;
    }
  });
  return y + h;
}

function layoutVpc(b: Builder, w: ClusterWiring, x: number, y: number, width: number, gutter: number): number {
  const vpcText = `VPC ${w.vpc.id} · ${w.vpc.cidrBlocks.join(', ')}`;
  const vpcWidth = Math.min((width - 32) / 2, textWidth(vpcText, M.title) + 12 + M.badgeStep + 8);
  b.row('vpc', 'vpc', [{ text: vpcText, bold: true, size: M.title }], x + 12, y + 8, vpcWidth, { resourceId: w.vpc.id, names: [w.vpc.id] });
  const zones = w.controlPlaneZones;
  b.row(
    'cp-placement',
    'cp-placement',
    [{ text: `control-plane ENIs in ${zones.length} AZ${zones.length === 1 ? '' : 's'}: ${zones.join(', ') || 'none'}`, tone: zones.length < 2 ? 'bad' : 'plain' }],
    x + 12 + vpcWidth + 8,
    y + 8,
    width - 32 - vpcWidth,
  );
  let top = y + 8 + rowHeight(1) + 4;
  const remote = w.remoteNetworks;
  if (remote.nodes.length || remote.pods.length) {
    b.row(
      'remote-networks',
      'remote-networks',
      [{ text: `hybrid nodes' remote networks: nodes ${remote.nodes.join(', ') || '(none)'} · pods ${remote.pods.join(', ') || '(none)'}` }],
      x + 12,
      top,
      width - 24,
      { names: [...remote.nodes, ...remote.pods] },
    );
    top += rowHeight(1) + 2;
  }
  for (const e of w.sectionErrors) {
    b.row(`section-error:${e.section}`, 'section-error', [{ text: `could not read ${e.section}: ${e.reason}`, tone: 'bad' }], x + 12, top, width - 24, {
      names: [`could not read ${e.section}`],
    });
    top += rowHeight(1) + 2;
  }
  top += 4;

  const laneOf = new Map(w.gateways.map((g, i) => [`${g.type}:${g.id}`, i]));
  const egressKey = (s: SubnetView) => `${s.egress.type}:${s.egress.id}`;
  const routes: { subnet: DiagramElement; routeY: number; column: number; lane: number; cardRight: number }[] = [];
  let columnsBottom = top;
  w.columns.forEach((column, i) => {
    const cx = x + 12 + 6 + i * (M.columnWidth + gutter);
    const missing = column.zone === '';
    let cy = top + 22;
    for (const subnet of column.subnets) {
      const { element, routeY } = layoutSubnet(b, subnet, cx, cy);
      if (routeY !== undefined && laneOf.has(egressKey(subnet))) {
        routes.push({ subnet: element, routeY, column: i, lane: laneOf.get(egressKey(subnet))!, cardRight: cx + M.columnWidth });
      }
      cy += element.h + 8;
    }
    const zoneTitle = missing ? 'not found' : `${column.zone}${column.zoneId ? ` (${column.zoneId})` : ''}`;
    b.frames.push({
      key: `zone:${column.zone || 'missing'}`,
      x: cx - 6,
      y: top,
      w: M.columnWidth + 12,
      h: cy - top - 2,
      variant: missing ? 'zone-missing' : 'zone',
      texts: [span({ text: zoneTitle, bold: true, tone: missing ? 'bad' : 'plain' }, cx, top + 15, M.columnWidth)],
    });
    columnsBottom = Math.max(columnsBottom, cy - 2);
  });

  const lanes = Math.max(1, w.gateways.length);
  const busTop = columnsBottom + 10;
  const gatewayTop = busTop + lanes * 6 + 12;
  let gatewayBottom = gatewayTop;
  const gatewayElements = w.gateways.map((g, i) => {
    const gx = x + 12 + i * (M.gatewayWidth + 16);
    const element = layoutGateway(b, g, gx, gatewayTop);
    gatewayBottom = Math.max(gatewayBottom, gatewayTop + element.h);
    return element;
  });
  if (w.gateways.length === 0 && w.columns.length > 0) {
    b.frames.push({
      key: 'no-egress',
      x: x + 12,
      y: gatewayTop - 4,
      w: width - 24,
      h: 0,
      variant: 'panel',
      texts: [span({ text: 'no default route to any gateway', tone: 'muted' }, x + 12, gatewayTop + 8, width - 24)],
    });
    gatewayBottom = gatewayTop + 12;
  }
  for (const r of routes) {
    const g = gatewayElements[r.lane]!;
    const laneX = r.cardRight + 10 + r.lane * 6;
    const busY = busTop + r.lane * 6;
    const gx = g.x + 24 + r.lane * 0;
    b.connectors.push({
      key: `route:${r.subnet.resourceId}`,
      from: r.subnet.key,
      to: g.key,
      points: [
        [r.cardRight, r.routeY],
        [laneX, r.routeY],
        [laneX, busY],
        [gx, busY],
        [gx, g.y],
      ],
    });
  }
  const bottom = layoutEndpoints(b, w, x + 12, gatewayBottom + 12, width - 24) + 12;
  b.frames.unshift({ key: 'vpc-frame', x, y, w: width, h: bottom - y, variant: 'vpc', texts: [] });
  return bottom;
}

function layoutSubnet(b: Builder, s: SubnetView, x: number, y: number): { element: DiagramElement; routeY?: number } {
  const inner = M.columnWidth - 12;
  const key = `subnet:${s.id}`;
  const lines: Line[] = [{ text: s.id, bold: true }];
  const children: { kind: ElementKind; text: string; names: string[]; nodegroup?: string; resourceId?: string; key: string }[] = [];
  if (!s.exists) {
    lines.push({ text: 'not found (deleted?)', tone: 'bad' });
    if (s.controlPlane) lines.push({ text: 'used by: control plane', tone: 'muted' });
  } else {
    lines.push({ text: `${s.cidrBlock} · ${s.freeIps} free IPs`, tone: 'muted' });
    if (s.controlPlane) lines.push({ text: '▣ control-plane ENIs', tone: 'accent' });
  }
  for (const g of s.nodegroups) children.push({ kind: 'nodegroup', text: `node group ${g}`, names: [`node group ${g}`], nodegroup: g, key: `nodegroup:${g}@${s.id}` });
  for (const f of s.fargateProfiles) children.push({ kind: 'fargate', text: `Fargate ${f}`, names: [`Fargate profile ${f}`], key: `fargate:${f}@${s.id}` });
  for (const n of s.selfManagedNodes.slice(0, M.maxNodesPerSubnet)) children.push({ kind: 'node', text: `node ${n}`, names: [n], resourceId: n, key: `node:${n}` });
  const extraNodes = s.selfManagedNodes.length - M.maxNodesPerSubnet;

  const routeLines: Line[] = [];
  if (s.exists) {
    const r = s.defaultRoute;
    const isPublic = r.type === 'internet-gateway';
    routeLines.push({ text: `0.0.0.0/0 → ${r.type === 'none' ? 'no route' : r.id || r.type}`, bold: true, tone: r.type === 'none' ? 'bad' : isPublic ? 'accent' : 'plain' });
    if (s.via.length && (s.egress.id !== r.id || s.egress.type !== r.type)) routeLines.push({ text: `  then → ${s.egress.id || s.egress.type}`, bold: true });
    routeLines.push({ text: s.routeTableId ? `${s.routeTableId} (${s.routeTableAssociation})` : 'no route table', tone: 'muted' });
    if (isPublic || s.mapsPublicIps)
      routeLines.push({ text: isPublic && s.mapsPublicIps ? 'public: IGW route, public IPs' : isPublic ? 'public: IGW route' : 'maps public IPs on launch', tone: 'accent' });
  }
  const extraLine = extraNodes > 0 ? 1 : 0;
  const acl = s.networkAcl;
  const h = 4 + (lines.length + children.length + extraLine + routeLines.length + (acl ? 1 : 0)) * M.line + 6;
  const variant = !s.exists ? 'missing' : s.defaultRoute.type === 'internet-gateway' || s.mapsPublicIps ? 'public' : s.controlPlane ? 'control-plane' : undefined;
  const element = b.add({
    key,
    kind: 'subnet',
    x,
    y,
    w: M.columnWidth,
    h,
    shape: 'box',
    ...(variant ? { variant } : {}),
    resourceId: s.id,
    texts: stack(lines, x + 6, y + 4, inner, inner - M.badgeStep),
    names: [s.id],
  });
  let cy = y + 4 + lines.length * M.line;
  for (const c of children) {
    b.add({
      key: c.key,
      kind: c.kind,
      parent: key,
      x: x + 4,
      y: cy + 1,
      w: M.columnWidth - 8,
      h: M.line - 1,
      shape: 'row',
      ...(c.nodegroup ? { nodegroup: c.nodegroup } : {}),
      ...(c.resourceId ? { resourceId: c.resourceId } : {}),
      texts: [span({ text: c.text }, x + 10, cy + M.line - 4, inner - 4)],
      names: c.names,
    });
    cy += M.line;
  }
  if (extraLine) {
    element.texts.push(span({ text: `+${extraNodes} more self-managed nodes`, tone: 'muted' }, x + 6, cy + M.line - 4, inner));
    cy += M.line;
  }
  element.texts.push(...stack(routeLines, x + 6, cy, inner));
  const routeY = cy + M.line / 2 + 1;
  cy += routeLines.length * M.line;
  if (acl) aclRow(b, acl, key, x, cy, M.columnWidth);
  return { element, ...(routeLines.length ? { routeY } : {}) };
}

const GATEWAY_TITLE: Record<string, string> = {
  'nat-gateway': 'NAT gateway',
  'internet-gateway': 'Internet gateway',
  'egress-only-internet-gateway': 'Egress-only internet gateway',
  'transit-gateway': 'Transit gateway',
  'vpc-peering': 'VPC peering connection',
  'vpc-endpoint': 'VPC endpoint (firewall)',
  'network-interface': 'Network interface',
  instance: 'Instance',
  other: 'Other target',
  'virtual-private-gateway': 'Virtual private gateway',
};

/** A network ACL, as a markable row at the bottom of the subnet (or gateway) box it guards. */
function aclRow(b: Builder, acl: { id: string; isDefault: boolean }, parent: string, x: number, y: number, width: number): void {
  b.add({
    key: `nacl:${acl.id}@${parent}`,
    kind: 'nacl',
    parent,
    x: x + 4,
    y: y + 1,
    w: width - 8,
    h: M.line - 1,
    shape: 'row',
    resourceId: acl.id,
    texts: [
      span(
        {
          text: firstFitting(acl.isDefault ? [`${acl.id} (default NACL)`, `${acl.id} (default)`] : [`NACL ${acl.id}`, `${acl.id} (NACL)`], acl.id, width - 20 - M.badgeStep),
          tone: 'muted',
        },
        x + 10,
        y + M.line - 4,
        width - 20 - M.badgeStep,
      ),
    ],
    names: [acl.id],
  });
}

/** The VPC endpoints of the cluster VPC, as chips in one box (the place of missing ones too). */
function layoutEndpoints(b: Builder, w: ClusterWiring, x: number, y: number, width: number): number {
  const chipW = 190;
  const perRow = Math.max(1, Math.floor((width - 12 + 8) / (chipW + 8)));
  const rows = Math.ceil(w.vpcEndpoints.length / perRow);
  const chipH = rowHeight(2);
  const h = 24 + rows * (chipH + 6) + (rows ? 0 : -4);
  b.add({
    key: 'vpc-endpoints',
    kind: 'vpc-endpoints',
    x,
    y,
    w: width,
    h,
    shape: 'box',
    variant: 'panel',
    texts: [
      span(
        { text: w.vpcEndpoints.length ? `VPC endpoints (${w.vpcEndpoints.length})` : 'VPC endpoints: none', bold: true, tone: w.vpcEndpoints.length ? 'plain' : 'muted' },
        x + 6,
        y + 15,
        width - 12 - 4 * M.badgeStep,
      ),
    ],
    names: [],
  });
  w.vpcEndpoints.forEach((e, i) => {
    const cx = x + 6 + (i % perRow) * (chipW + 8);
    const cy = y + 22 + Math.floor(i / perRow) * (chipH + 6);
    b.add({
      key: `vpc-endpoint:${e.id}`,
      kind: 'vpc-endpoint',
      parent: 'vpc-endpoints',
      x: cx,
      y: cy,
      w: chipW,
      h: chipH,
      shape: 'box',
      resourceId: e.id,
      texts: stack(
        [
          { text: `${e.service} · ${e.type}`, bold: true },
          { text: `${e.id}${e.type === 'Interface' ? ` · DNS ${onOff(e.privateDns)}` : ''}${e.state === 'available' ? '' : ` · ${e.state}`}`, tone: 'muted' },
        ],
        cx + 6,
        cy,
        chipW - 12,
        chipW - 12 - M.badgeStep,
      ),
      names: [e.id],
    });
  });
  return y + h;
}

function layoutGateway(b: Builder, g: GatewayView, x: number, y: number): DiagramElement {
  const lines: Line[] = [{ text: GATEWAY_TITLE[g.type] ?? g.type, bold: true }, { text: g.id || '(no id)' }];
  if (g.type === 'nat-gateway') {
    if (!g.state) lines.push({ text: 'not found', tone: 'bad' });
    else lines.push({ text: `${g.state} · ${g.connectivityType}`, tone: 'muted' });
    for (const a of capped(
      g.addresses.map((a) => a.ip),
      4,
    )) {
      const allowed = g.addresses.find((x) => x.ip === a)?.allowed;
      lines.push({ text: a, bold: allowed === false });
      if (allowed !== undefined) lines.push({ text: allowed ? '  ✓ inside the allowlist' : '  ✗ outside the allowlist', tone: allowed ? 'muted' : 'bad' });
    }
    if (g.state && g.addresses.length === 0) lines.push({ text: 'no public IP', tone: 'muted' });
  } else if (g.type === 'transit-gateway') {
    lines.push({ text: 'egress not visible from here', tone: 'muted' });
  } else if (g.type === 'vpc-peering') {
    lines.push({ text: 'no internet path', tone: 'muted' });
  } else if (g.type === 'internet-gateway') {
    lines.push({ text: 'to the internet', tone: 'muted' });
  }
  const h = 4 + (lines.length + (g.networkAcl ? 1 : 0)) * M.line + 6;
  const key = `gateway:${g.id || g.type}`;
  if (g.networkAcl) aclRow(b, g.networkAcl, key, x, y + 4 + lines.length * M.line, M.gatewayWidth);
  return b.add({
    key,
    kind: 'gateway',
    x,
    y,
    w: M.gatewayWidth,
    h,
    shape: 'box',
    ...(g.id ? { resourceId: g.id } : {}),
    texts: stack(lines, x + 6, y + 4, M.gatewayWidth - 12, M.gatewayWidth - 12 - M.badgeStep),
    names: g.id ? [g.id] : [],
  });
}

function layoutSecurityGroups(b: Builder, w: ClusterWiring, x: number, y: number, width: number): number {
  const top = y + 26;
  const leftX = x + 12;
  const rightX = x + width - 12 - M.sgBoxWidth;
  const units = w.units.slice(0, M.maxUnits);
  let uy = top;
  const unitBoxes: { unit: NodeUnitView; y: number; h: number }[] = [];
  for (const unit of units) {
    const h = Math.max(24 + unit.securityGroups.length * SG_ROW + 4, 74);
    unitBoxes.push({ unit, y: uy, h });
    uy += h + 10;
  }
  const cpH = 24 + w.controlPlaneSecurityGroups.length * SG_ROW + 4;
  const leftH = Math.max(cpH, uy - top - 10);
  let bottom = top + leftH;

  b.add({
    key: 'sg-control-plane',
    kind: 'unit',
    x: leftX,
    y: top,
    w: M.sgBoxWidth,
    h: leftH,
    shape: 'box',
    variant: 'panel',
    texts: [span({ text: 'control-plane ENIs', bold: true }, leftX + 6, top + 16, M.sgBoxWidth - 12 - 2 * M.badgeStep)],
    names: [],
  });
  sgRows(b, w.controlPlaneSecurityGroups, 'sg-control-plane', leftX, top + 22);

  for (const { unit, y: by, h } of unitBoxes) {
    const key = `unit:${unit.label}`;
    b.add({
      key,
      kind: 'unit',
      x: rightX,
      y: by,
      w: M.sgBoxWidth,
      h,
      shape: 'box',
      variant: 'panel',
      texts: [span({ text: unit.label, bold: true }, rightX + 6, by + 16, M.sgBoxWidth - 12 - M.badgeStep)],
      names: [unit.label],
    });
    sgRows(b, unit.securityGroups, key, rightX, by + 22);
    const mid = by + h / 2;
    const x1 = leftX + M.sgBoxWidth;
    const x2 = rightX;
    const labelX = x1 + 10;
    const labelWidth = x2 - x1 - 20 - M.badgeStep;
    b.add({
      key: `edge:443:${unit.label}`,
      kind: 'edge',
      x: x1,
      y: mid - 26,
      w: x2 - x1,
      h: 24,
      shape: 'arrow',
      line: { x1: x2, y1: mid - 6, x2: x1, y2: mid - 6 },
      texts: [span({ text: `TCP 443 nodes → API server` }, labelX, mid - 11, labelWidth)],
      names: [unit.label],
      direction: '(nodes -> API server)',
      badge: { x: x2 - 12, y: mid - 15 },
    });
    b.add({
      key: `edge:10250:${unit.label}`,
      kind: 'edge',
      x: x1,
      y: mid + 2,
      w: x2 - x1,
      h: 24,
      shape: 'arrow',
      line: { x1, y1: mid + 8, x2, y2: mid + 8 },
      texts: [span({ text: `TCP 10250 API server → kubelet` }, labelX, mid + 21, labelWidth)],
      names: [unit.label],
      direction: '(API server -> kubelet)',
      badge: { x: x2 - 12, y: mid + 17 },
    });
  }
  const notes: Line[] = [];
  if (w.units.length > units.length) notes.push({ text: `+${w.units.length - units.length} more node groups / self-managed nodes (see the findings)`, tone: 'muted' });
  if (w.units.length === 0) {
    const hybrid = w.remoteNetworks.nodes.length > 0;
    const why = w.settings.autoMode
      ? 'EKS Auto Mode manages the node paths'
      : w.fargateOnly
        ? 'Fargate only: EKS manages the pod paths'
        : hybrid
          ? 'hybrid nodes only: their networks are drawn in the VPC above'
          : 'no managed node groups and no self-managed nodes';
    notes.push({ text: why, tone: 'muted' });
  }
  const notesTop = bottom + 4;
  const noteSpans = stack(notes, x + 12, notesTop, width - 24);
  bottom += notes.length * M.line + 6;
  b.frames.push({
    key: 'sg-frame',
    x,
    y,
    w: width,
    h: bottom - y + 4,
    variant: 'panel',
    texts: [span({ text: 'Security groups: nodes ⇄ control plane', bold: true, size: M.title }, x + 12, y + 17, width - 24), ...noteSpans],
  });
  return bottom + 4;
}

function sgRows(b: Builder, groups: readonly SecurityGroupView[], parent: string, x: number, y: number): void {
  groups.forEach((g, i) => {
    b.row(
      `sg:${g.id}@${parent}`,
      'sg',
      [
        { text: g.id, bold: true },
        { text: g.exists ? `${g.role} · ${g.name}` : `${g.role} · not found`, tone: g.exists ? 'muted' : 'bad' },
      ],
      x + 4,
      y + i * SG_ROW,
      M.sgBoxWidth - 8,
      { parent, resourceId: g.id, names: [g.id] },
    );
  });
}

function capped(items: readonly string[], max: number): string[] {
  return items.length <= max ? [...items] : [...items.slice(0, max - 1), `… +${items.length - max + 1} more`];
}

function shortKey(arn: string): string {
  const id = arn.split(':').pop() ?? arn;
  return id.length > 22 ? `${id.slice(0, 21)}…` : id;
}
