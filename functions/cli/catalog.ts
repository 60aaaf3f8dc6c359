/**
 * The policy catalog of `policies/README.md`, generated from the policy files' metadata (the
 * way Polaris and cdk-nag generate their rule lists): `eksguard policies catalog` prints it,
 * `--write` rewrites the generated part of the README; a test fails when the README is stale.
 */
import { controlLabels } from '../core/report/controls.js';
import { basename } from 'node:path';
import { PolicyDocument } from '../core/policy/policy-schema.js';
import { loadPolicies } from '../policy-files/load-policies.js';
import { CATALOG_COMMAND, CATALOG_FILE } from './catalog-command.js';
import { DEFAULT_POLICY_DIR } from './paths.js';

export { CATALOG_COMMAND, CATALOG_FILE };

const BEGIN = `<!-- BEGIN GENERATED CATALOG: edit the policy files, then run \`${CATALOG_COMMAND}\` -->`;
const END = '<!-- END GENERATED CATALOG -->';

const CATEGORY_ORDER: readonly string[] = PolicyDocument.shape.category.options;

/** One paragraph: YAML block scalars keep the file's line breaks, which Markdown tables cannot hold. */
const paragraph = (text: string) => text.replace(/\s+/g, ' ').trim();
const cell = (text: string) => paragraph(text).replace(/\|/g, '\\|');
const code = (value: unknown) => `\`${Array.isArray(value) ? value.join(', ') : String(value)}\``;

interface CatalogEntry {
  document: PolicyDocument;
  file: string;
}

export function renderCatalog(entries: CatalogEntry[]): string {
  const sorted = [...entries].sort(
    (a, b) => CATEGORY_ORDER.indexOf(a.document.category) - CATEGORY_ORDER.indexOf(b.document.category) || a.document.id.localeCompare(b.document.id),
  );
  const lines = [
    `${sorted.length} policies, by category. Columns: default severity (a deployment may override it), the`,
    'framework controls it checks (AWS Foundational Security Best Practices, CIS Amazon EKS Benchmark).',
    '',
    '| id | severity | category | title | controls |',
    '|---|---|---|---|---|',
    ...sorted.map(({ document: d }) => `| [\`${d.id}\`](#${d.id}) | ${d.severity} | ${d.category} | ${cell(d.title)} | ${controlLabels(d.controls).join(', ')} |`),
  ];
  for (const { document: d, file } of sorted) {
    const name = basename(file);
    lines.push('', `### ${d.id}`, '', `**${paragraph(d.title)}**`, '');
    lines.push(
      `Severity \`${d.severity}\` · category \`${d.category}\`` +
        (d.controls ? ` · controls ${controlLabels(d.controls).map(code).join(', ')}` : '') +
        ` · [policy](${name}) · [cases](${name.replace(/\.ya?ml$/, '.test.yaml')})`,
    );
    lines.push('', `What fails: ${paragraph(d.description)}`, '', `Fix: ${paragraph(d.remediation.description)}`);
    const parameters = Object.entries(d.parameters);
    if (parameters.length) {
      lines.push('', '| parameter | type | default | meaning |', '|---|---|---|---|');
      for (const [key, p] of parameters) lines.push(`| \`${key}\` | ${p.type} | ${code(p.default)} | ${cell(p.description)} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function catalogOfShippedPolicies(): string {
  return renderCatalog(loadPolicies(DEFAULT_POLICY_DIR).map((p) => ({ document: p.document, file: p.file })));
}

/** The README with its generated part replaced by `catalog`; an error names the missing marker. */
export function withCatalog(readme: string, catalog: string): string {
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${CATALOG_FILE}: the markers ${BEGIN} and ${END} are missing`);
  return `${readme.slice(0, start + BEGIN.length)}\n${catalog}${readme.slice(end)}`;
}
