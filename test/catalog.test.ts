import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATALOG_COMMAND, CATALOG_FILE, catalogOfShippedPolicies, renderCatalog, withCatalog } from '../functions/cli/catalog.js';
import { loadPolicies } from '../functions/policy-files/load-policies.js';
import { DEFAULT_POLICY_DIR } from '../functions/cli/paths.js';

describe('the generated policy catalog (policies/README.md)', () => {
  it(`is up to date with the policy files (regenerate with ${CATALOG_COMMAND})`, () => {
    const readme = readFileSync(CATALOG_FILE, 'utf8');
    expect(readme === withCatalog(readme, catalogOfShippedPolicies()), `policies/README.md is stale: run ${CATALOG_COMMAND}`).toBe(true);
  });

  it('lists every policy with its severity, category, title, what fails and parameters', () => {
    const policies = loadPolicies(DEFAULT_POLICY_DIR);
    const catalog = renderCatalog(policies.map((p) => ({ document: p.document, file: p.file })));
    for (const p of policies) {
      expect(catalog).toContain(`| [\`${p.id}\`](#${p.id}) | ${p.severity} | ${p.category} |`);
      expect(catalog).toContain(`### ${p.id}\n`);
      expect(catalog).toContain(`What fails: ${p.document.description.replace(/\s+/g, ' ').trim()}`);
      for (const name of Object.keys(p.document.parameters)) expect(catalog).toContain(`| \`${name}\` |`);
    }
    const withControls = policies.find((p) => p.document.controls?.awsFsbp?.length)!;
    expect(catalog).toContain(`controls \`AWS FSBP ${withControls.document.controls!.awsFsbp![0]}\``);
  });

  it('names the missing markers instead of writing a README without its catalog', () => {
    expect(() => withCatalog('# no markers here\n', 'x')).toThrow(/markers .* are missing/);
  });
});
