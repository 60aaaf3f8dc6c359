/** The report's one stylesheet, inlined into the page: system fonts only, print-friendly. */
export const FAIL = '#cf222e';
export const ERROR = '#d4a72c';

export const STYLES = `
:root { --fail: ${FAIL}; --fail-bg: #ffebe9; --error: ${ERROR}; --error-text: #7d4e00; --error-bg: #fff8c5;
  --pass: #1a7f37; --muted: #57606a; --line: #d0d7de; --ink: #1f2328; --accent: #0969da; --paper: #ffffff; --wash: #f6f8fa; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", "DejaVu Sans", sans-serif; color: var(--ink); background: var(--paper); }
main { max-width: 1600px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 22px; margin: 8px 0 2px; }
h2 { font-size: 18px; margin: 0 0 8px; display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; }
h3 { font-size: 15px; margin: 16px 0 6px; }
a { color: var(--accent); }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 12.5px; }
.meta { color: var(--muted); margin: 0 0 16px; }
.counts { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0 12px; }
.count { border: 1px solid var(--line); border-radius: 8px; padding: 6px 12px; min-width: 96px; background: var(--wash); }
.count b { display: block; font-size: 20px; }
.count.fail { border-color: var(--fail); background: var(--fail-bg); }
.count.error { border-color: var(--error); background: var(--error-bg); }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid var(--line); }
th { background: var(--wash); font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; }
.pill { display: inline-block; border-radius: 10px; padding: 0 8px; font-size: 12px; font-weight: 600; border: 1px solid var(--line); white-space: nowrap; }
.pill.fail { background: var(--fail); border-color: var(--fail); color: #fff; }
.pill.error { background: var(--error); border-color: var(--error); color: #3b2300; }
.pill.excepted { background: #ddf4ff; border-color: #54aeff; }
.pill.pass { background: #dafbe1; border-color: #4ac26b; }
.pill.resolved { background: #dafbe1; border-color: #4ac26b; }
.pill.new { background: #fff; border-color: var(--fail); color: var(--fail); }
.where { color: var(--muted); font-size: 14px; font-weight: 400; }
.policies a { margin-right: 6px; white-space: nowrap; }
section.cluster { border-top: 2px solid var(--line); padding-top: 14px; margin-top: 22px; content-visibility: auto; contain-intrinsic-size: auto 1400px; }
figure.diagram { margin: 8px 0; overflow: hidden; }
svg.wiring { display: block; max-width: 100%; height: auto; background: var(--paper); }
.legend { display: flex; flex-wrap: wrap; gap: 14px; color: var(--muted); font-size: 13px; margin: 8px 0; }
.swatch { display: inline-block; width: 14px; height: 14px; border-radius: 3px; vertical-align: -2px; margin-right: 4px; border: 2px solid var(--line); }
.swatch.fail { border-color: var(--fail); background: var(--fail-bg); }
.swatch.error { border-color: var(--error); background: var(--error-bg); }
.swatch.cp { border-color: var(--accent); background: #f3f8ff; }
.swatch.public { border-color: #8250df; background: #fbefff; }
.swatch.missing { border-style: dashed; border-color: #8c959f; }
.findings td.msg { max-width: 760px; }
.findings .fix { color: var(--muted); margin-top: 4px; }
.findings .fix code { color: var(--ink); background: var(--wash); padding: 1px 4px; border-radius: 4px; overflow-wrap: anywhere; }
.findings tr.fail td:first-child { box-shadow: inset 4px 0 var(--fail); }
.findings tr.error td:first-child { box-shadow: inset 4px 0 var(--error); }
.findings tr:target { background: #fff8e1; }
.changes li { margin: 2px 0; }
details summary { cursor: pointer; color: var(--muted); }
.problems { color: var(--fail); }

/* The diagram */
svg .t { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 11px; fill: var(--ink); }
svg .t.big { font-size: 12px; }
svg .t.b { font-weight: 700; }
svg .tone-muted { fill: var(--muted); }
svg .tone-bad { font-weight: 700; }
svg .tone-accent { fill: var(--accent); }
svg .frame rect { fill: none; stroke: var(--line); stroke-width: 1; }
svg .frame-vpc rect { fill: #fbfcfd; stroke: #8c959f; stroke-width: 1.5; }
svg .frame-zone rect { fill: #f6f8fa; stroke: #d8dee4; stroke-dasharray: 4 3; }
svg .frame-zone-missing rect { fill: #fff; stroke: #8c959f; stroke-dasharray: 2 3; }
svg .frame-panel rect { fill: #ffffff; stroke: #d0d7de; }
svg .el > rect { fill: #ffffff; stroke: #8c959f; stroke-width: 1; }
svg .el.shape-row > rect { fill: transparent; stroke: none; }
svg .el-control-plane > rect { fill: #f3f8ff; stroke: var(--accent); stroke-width: 1.5; }
svg .el-subnet.v-control-plane > rect { stroke: var(--accent); stroke-width: 1.5; }
svg .el-subnet.v-public > rect { fill: #fbefff; stroke: #8250df; }
svg .el-subnet.v-missing > rect { fill: #ffffff; stroke-dasharray: 4 3; }
svg .el-gateway > rect { fill: #ffffff; stroke: #57606a; }
svg .el-unit.v-panel > rect { fill: #ffffff; stroke: #8c959f; }
svg .el-nodegroup > rect, svg .el-fargate > rect, svg .el-node > rect { fill: #eef1f4; stroke: none; }
svg .el.shape-arrow > rect.hit { fill: transparent; stroke: none; }
svg .el.shape-arrow > line { stroke: #57606a; stroke-width: 1.5; }
svg .head path { fill: #57606a; }
svg .head-fail path { fill: var(--fail); }
svg .head-error path { fill: var(--error); }
svg .route { fill: none; stroke: #8c959f; stroke-width: 1.5; stroke-linejoin: round; }
svg .route.is-fail { stroke: var(--fail); stroke-width: 2.5; }
svg .route.is-error { stroke: var(--error); stroke-width: 2.5; }
svg .el.is-fail > rect:not(.hit) { fill: var(--fail-bg); stroke: var(--fail); stroke-width: 2.5; }
svg .el.is-error > rect:not(.hit) { fill: var(--error-bg); stroke: var(--error); stroke-width: 2.5; }
svg .el.shape-row.is-fail > rect { fill: var(--fail-bg); stroke: var(--fail); stroke-width: 1.5; }
svg .el.shape-row.is-error > rect { fill: var(--error-bg); stroke: var(--error); stroke-width: 1.5; }
svg .el.shape-arrow.is-fail > line { stroke: var(--fail); stroke-width: 2.5; stroke-dasharray: 6 3; }
svg .el.shape-arrow.is-error > line { stroke: var(--error); stroke-width: 2.5; stroke-dasharray: 6 3; }
svg .el.shape-arrow.is-fail > text { fill: var(--fail); font-weight: 700; }
svg .el.shape-arrow.is-error > text { fill: var(--error-text); font-weight: 700; }
svg .badge circle { stroke: #ffffff; stroke-width: 1.5; }
svg .badge.is-fail circle { fill: var(--fail); }
svg .badge.is-error circle { fill: var(--error); }
svg .badge text { font: 700 10px system-ui, "DejaVu Sans", sans-serif; fill: #ffffff; }
svg .badge.is-error text { fill: #3b2300; }

@media print {
  main { max-width: none; padding: 0; }
  section.cluster { content-visibility: visible; break-before: page; }
  a { color: inherit; text-decoration: none; }
  details { display: block; }
}
`;
