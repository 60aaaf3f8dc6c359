/**
 * `eksguard scan --format sarif|asff|csv|junit` against the demo world (every policy fails
 * somewhere), with one VPC attribute denied so that `error` results appear too; each output is
 * validated against its published schema (test/schemas/README.md) or, for ASFF, the API's.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { validateXML } from 'xmllint-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSV_COLUMNS } from '../../functions/core/report/render-csv.js';
import type { ScanReport } from '../../functions/core/report/report.js';
import { AsffFindingSchema } from '../asff-schema.js';
import { loadDemoWorld, runCli, simulatorEnv } from '../demo/run-demo.js';
import { startSimulator, type Simulator } from '../simulator/server.js';

const require = createRequire(import.meta.url);
const schemaDir = new URL('../schemas/', import.meta.url);

let simulator: Simulator;
let report: ScanReport;
const outputs: Record<string, string> = {};

async function scan(format: string, ...extra: string[]) {
  const { code, stdout, stderr } = await runCli(['scan', '--region', 'us-east-1', '--format', format, '--quiet', ...extra], simulatorEnv(simulator.url));
  expect(code, stderr).toBe(1);
  return stdout;
}

beforeAll(async () => {
  simulator = await startSimulator({ world: await loadDemoWorld() });
  simulator.setFaults({ rules: [{ service: 'ec2', operation: 'DescribeVpcAttribute', error: 'AccessDenied' }] });
  report = JSON.parse(await scan('json')) as ScanReport;
  const dir = mkdtempSync(join(tmpdir(), 'eksguard-formats-'));
  for (const format of ['sarif', 'asff', 'csv']) outputs[format] = await scan(format);
  // --output FILE writes the report there and nothing to stdout.
  const file = join(dir, 'report.xml');
  expect(await scan('junit', '--output', file)).toBe('');
  outputs.junit = readFileSync(file, 'utf8');
}, 120_000);
afterAll(() => simulator?.close());

describe('report formats', () => {
  it('the scan has failures and errors to render', () => {
    expect(report.summary.fail).toBeGreaterThan(10);
    expect(report.summary.error).toBeGreaterThan(0);
  });

  it('sarif: valid SARIF 2.1.0, one rule per policy with its metadata, one result per failing or error result, the cluster ARN as logical location', () => {
    const Ajv = require('ajv-draft-04') as typeof import('ajv-draft-04').default;
    const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(new URL('sarif-schema-2.1.0.json', schemaDir), 'utf8')));
    const log = JSON.parse(outputs.sarif!);
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 5), null, 2)).toBe(true);
    const run = log.runs[0];
    const policies = new Set(report.results.map((r) => r.policy));
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id).sort()).toEqual([...policies].sort());
    const rule = run.tool.driver.rules.find((r: { id: string }) => r.id === 'endpoint-public-access-disabled');
    expect(rule).toMatchObject({
      shortDescription: { text: expect.any(String) },
      helpUri: expect.stringMatching(/^https:/),
      properties: { tags: expect.arrayContaining(['AWS FSBP EKS.1', 'CIS EKS 5.4.2']) },
    });
    const expected = report.results.filter((r) => r.status === 'fail' || r.status === 'error');
    expect(run.results).toHaveLength(expected.length);
    const one = expected.find((r) => r.status === 'fail')!;
    const result = run.results.find((r: { ruleId: string; properties: { cluster: string } }) => r.ruleId === one.policy && r.properties.cluster === one.cluster);
    expect(result.kind).toBe('fail');
    expect(result.locations[0].logicalLocations[0]).toEqual({
      name: one.cluster,
      fullyQualifiedName: `arn:aws:eks:us-east-1:${report.account}:cluster/${one.cluster}`,
      kind: 'resource',
    });
    expect(run.tool.driver.rules[result.ruleIndex].id).toBe(one.policy);
    expect(run.results.filter((r: { kind: string }) => r.kind === 'open')).toHaveLength(expected.filter((r) => r.status === 'error').length);
  });

  it('asff: one finding per result, each valid per the Security Hub API', () => {
    const { Findings } = JSON.parse(outputs.asff!) as { Findings: unknown[] };
    expect(Findings).toHaveLength(report.results.length);
    for (const f of Findings) {
      const parsed = AsffFindingSchema.safeParse(f);
      expect(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 3))).toBe(true);
    }
    const byId = new Map((Findings as { Id: string; Compliance: { Status: string; RelatedRequirements?: string[] }; GeneratorId: string }[]).map((f) => [f.Id, f]));
    for (const r of report.results) {
      const f = byId.get(`eksguard/${r.account}/${r.region}/${r.cluster}/${r.policy}`)!;
      expect(f.GeneratorId).toBe(r.policy);
      expect(f.Compliance.Status).toBe({ fail: 'FAILED', pass: 'PASSED', error: 'WARNING', 'not-applicable': 'NOT_AVAILABLE', excepted: 'PASSED' }[r.status]);
    }
    const secrets = [...byId.values()].find((f) => f.GeneratorId === 'secrets-encryption-cmk')!;
    expect(secrets.Compliance.RelatedRequirements).toEqual(['AWS Foundational Security Best Practices v1.0.0/EKS.3', 'CIS Amazon EKS Benchmark/5.3.1']);
  });

  it('csv: RFC 4180, the JSON report columns, one row per result with the same values', () => {
    const rows = parseCsv(outputs.csv!, { relax_column_count: false }) as string[][];
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(report.results.length + 1);
    rows.slice(1).forEach((row, i) => {
      const r = report.results[i]!;
      expect(row).toEqual(
        CSV_COLUMNS.map((c) =>
          r[c] === undefined ? '' : Array.isArray(r[c]) ? (r[c] as string[]).join('; ') : typeof r[c] === 'object' ? expect.stringContaining('excepted until') : String(r[c]),
        ),
      );
    });
    expect(outputs.csv).toMatch(/"[^"]*,[^"]*"/); // messages with commas are quoted
  });

  it('junit: valid against the Jenkins JUnit schema, one test case per result, failures and errors as such', async () => {
    const xsd = readFileSync(new URL('junit-10.xsd', schemaDir), 'utf8');
    const validation = await validateXML({ xml: [{ fileName: 'report.xml', contents: outputs.junit! }], schema: [{ fileName: 'junit-10.xsd', contents: xsd }] });
    expect(validation.valid, validation.rawOutput).toBe(true);
    expect(outputs.junit!.match(/<testcase /g)).toHaveLength(report.results.length);
    expect(outputs.junit!.match(/<failure /g)).toHaveLength(report.summary.fail);
    expect(outputs.junit!.match(/<error /g)).toHaveLength(report.summary.error);
  });
});
