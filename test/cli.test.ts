/**
 * The command line as a person meets it: help and version on every command, one-line usage
 * errors (exit 2), regions and clusters checked before the scan, credentials named before any
 * call (exit 3), repeatable --policies, --output, colour and wrapping.
 */
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { stripVTControlCharacters } from 'node:util';
import { join } from 'node:path';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regionsNear, isKnownRegion } from '../functions/cli/aws-session.js';
import { buildProgram, main, usageLine } from '../functions/cli/main.js';
import { DEFAULT_POLICY_DIR, PACKAGE_VERSION } from '../functions/cli/paths.js';
import { progressReporter } from '../functions/cli/terminal.js';
import { loadPolicies } from '../functions/policy-files/load-policies.js';
import { mergePatch } from '../functions/core/policy/policy-tests.js';
import type { Io } from '../functions/cli/args.js';
import { loadDemoWorld, runCli, simulatorEnv } from './demo/run-demo.js';
import { startSimulator, type Simulator } from './simulator/server.js';
import type { ScanReport } from '../functions/core/report/report.js';

async function cli(argv: string[], io: Partial<Io> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {}, ...io });
  return { code, stdout, stderr };
}

function commandPaths(command: Command, prefix: string[] = []): string[][] {
  return command.commands.filter((c) => c.name() !== 'help').flatMap((c) => [[...prefix, c.name()], ...commandPaths(c, [...prefix, c.name()])]);
}

const SHIPPED = loadPolicies(DEFAULT_POLICY_DIR).length;
const userPolicy = (id: string) => readFileSync(join(DEFAULT_POLICY_DIR, 'deletion-protection-enabled.yaml'), 'utf8').replace('id: deletion-protection-enabled', `id: ${id}`);
const userCases = readFileSync(join(DEFAULT_POLICY_DIR, 'deletion-protection-enabled.test.yaml'), 'utf8');

function teamPolicyDir(id = 'team-deletion-protection'): string {
  const dir = mkdtempSync(join(tmpdir(), 'eksguard-team-'));
  writeFileSync(join(dir, `${id}.yaml`), userPolicy(id));
  writeFileSync(join(dir, `${id}.test.yaml`), userCases);
  return dir;
}

describe('help and version', () => {
  const program = buildProgram({ stdout: () => {}, stderr: () => {}, env: {} }, () => {});
  const paths = [[], ...commandPaths(program)];

  it('covers every command and subcommand', () => {
    expect(paths.map((p) => p.join(' '))).toEqual(['', 'scan', 'policies', 'policies check', 'policies test', 'policies catalog', 'schema']);
  });

  it.each(paths.map((p) => [p.join(' ') || '(none)', p] as const))('eksguard %s --help exits 0 with every option and an example', async (_, path) => {
    const { code, stdout, stderr } = await cli([...path, '--help']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^Usage: eksguard/);
    expect(stdout).toMatch(/\nExamples?:\n {2}(eksguard|npm) /);
    let command: Command = program;
    for (const name of path) command = command.commands.find((c) => c.name() === name)!;
    for (const option of command.options) expect(stdout).toContain(option.flags);
  });

  it('states the default of every scan option that has one', async () => {
    const { stdout } = await cli(['scan', '--help']);
    const flat = stdout.replace(/\s+/g, ' ');
    for (const [option, fallback] of [
      ['--region <region>', '$AWS_REGION'],
      ['--format <format>', 'default: "table"'],
      ['--fail-on <severity>', 'default: "info"'],
      ['--concurrency <n>', 'default: 32'],
      ['--policies <dir>', 'default: the shipped policies only'],
      ['--cluster <name>', 'default: every cluster'],
    ])
      expect(flat.slice(flat.indexOf(option!), flat.indexOf(option!) + 700)).toContain(fallback);
  });

  it.each(paths.map((p) => [p.join(' ') || '(none)', p] as const))('eksguard %s --version prints the version', async (_, path) => {
    const { code, stdout } = await cli([...path, '--version']);
    expect(code).toBe(0);
    expect(stdout).toBe(`${PACKAGE_VERSION}\n`);
  });

  it('`eksguard help scan` is the help of scan, exit 0', async () => {
    const { code, stdout } = await cli(['help', 'scan']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: eksguard scan');
  });

  it('no command at all shows the help on stderr and exits 2', async () => {
    const { code, stdout, stderr } = await cli([]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('Usage: eksguard');
  });
});

describe('usage errors: one line, what was wrong and where the help is, exit 2', () => {
  it.each([
    [['scan', '--regoin', 'us-east-1'], "eksguard scan: unknown option '--regoin' (Did you mean --region?). See 'eksguard scan --help'."],
    [
      ['scan', '--format', 'xml'],
      "eksguard scan: option '--format <format>' argument 'xml' is invalid. Allowed choices are table, json, html, sarif, asff, csv, junit. See 'eksguard scan --help'.",
    ],
    [['scan', '--fail-on', 'severe'], 'Allowed choices are critical, high, medium, low, info'],
    [['scan', '--concurrency', '0'], "option '--concurrency <n>' argument '0' is invalid. expected a positive whole number of clusters"],
    [['scan', '--cluster', 'bad name!'], 'eksguard scan: --cluster: "bad name!" is not an EKS cluster name'],
    [['scan', '--print-messages'], 'eksguard scan: --sns-topic and --print-messages need --state FILE'],
    [['policies', 'lint'], "eksguard policies: unknown command 'lint'. See 'eksguard policies --help'."],
    [['polices'], "eksguard: unknown command 'polices' (Did you mean policies?). See 'eksguard --help'."],
    [['schema'], "eksguard schema: name a schema (snapshot or policy) or pass --write. See 'eksguard schema --help'."],
  ])('%j', async (argv, message) => {
    const { code, stdout, stderr } = await cli(argv as string[], { env: { AWS_REGION: 'us-east-1' } });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toContain(message);
    expect(stderr).toMatch(/See 'eksguard[a-z ]* --help'\.\n$/);
  });

  it("usageLine joins commander's suggestion line", () => {
    expect(usageLine('eksguard scan', "error: unknown option '--x'\n(Did you mean --y?)\n")).toBe(
      "eksguard scan: unknown option '--x' (Did you mean --y?). See 'eksguard scan --help'.\n",
    );
  });
});

describe('regions', () => {
  it('knows the regions of every partition', () => {
    for (const region of ['us-east-1', 'eu-central-2', 'us-gov-west-1', 'cn-north-1', 'us-iso-east-1']) expect(isKnownRegion(region), region).toBe(true);
    for (const region of ['us-eest-1', 'eu-central-9', 'aws-global', 'useast1']) expect(isKnownRegion(region), region).toBe(false);
  });

  it('suggests the region one typo away', () => {
    expect(regionsNear('us-eest-1')).toContain('us-east-1');
    expect(regionsNear('eu-wset-1')).toEqual(['eu-west-1']);
  });

  it('a typo is exit 2, before credentials or any AWS call', async () => {
    const { code, stderr } = await cli(['scan', '--region', 'us-east-1', '--region', 'us-eest-1'], { env: {} });
    expect(code).toBe(2);
    expect(stderr).toBe(`eksguard scan: --region: "us-eest-1" is not an AWS region (did you mean us-east-1 or us-west-1?). See 'eksguard scan --help'.\n`);
  });

  it('without --region, AWS_REGION or a profile region it says how to give one', async () => {
    const { code, stderr } = await cli(['scan'], { env: {} });
    expect(code).toBe(2);
    expect(stderr).toContain('no region: pass --region, set AWS_REGION, or set region in your AWS profile');
  });
});

describe('--policies adds to the shipped policies', () => {
  it('a team directory adds its policy to the shipped ones', async () => {
    const { code, stdout } = await cli(['policies', 'check', '--policies', teamPolicyDir()]);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^${SHIPPED + 1} policies in ${DEFAULT_POLICY_DIR}, `));
  });

  it('is repeatable, and --no-default-policies leaves the shipped ones out', async () => {
    const a = teamPolicyDir('team-a');
    const b = teamPolicyDir('team-b');
    expect((await cli(['policies', 'check', '--policies', a, '--policies', b])).stdout).toMatch(new RegExp(`^${SHIPPED + 2} policies`));
    expect((await cli(['policies', 'check', '--no-default-policies', '--policies', a, '--policies', b])).stdout).toBe(`2 policies in ${a}, ${b}: valid\n`);
  });

  it('an id defined twice is an error naming both files', async () => {
    const dir = teamPolicyDir('deletion-protection-enabled');
    const { code, stderr } = await cli(['policies', 'check', '--policies', dir]);
    expect(code).toBe(2);
    expect(stderr).toContain(
      `${dir}/deletion-protection-enabled.yaml: policy id "deletion-protection-enabled" is already defined by ${DEFAULT_POLICY_DIR}/deletion-protection-enabled.yaml`,
    );
  });

  it('--no-default-policies without --policies is a usage error', async () => {
    const { code, stderr } = await cli(['policies', 'test', '--no-default-policies']);
    expect(code).toBe(2);
    expect(stderr).toContain('--no-default-policies leaves no policies: add --policies DIR');
  });

  it("a team's cases patch the shipped base snapshot when the team has none", async () => {
    const { code, stdout } = await cli(['policies', 'test', '--no-default-policies', '--policies', teamPolicyDir()]);
    expect(stdout).toMatch(/^ok {3}team-deletion-protection: /);
    expect(stdout).toMatch(/\n\d+ passed, 0 failed\n$/);
    expect(code).toBe(0);
  });

  it("a team's own base snapshot is used when it has one", async () => {
    const dir = teamPolicyDir();
    mkdirSync(join(dir, 'testdata'));
    copyFileSync(join(DEFAULT_POLICY_DIR, 'testdata', 'base-snapshot.yaml'), join(dir, 'testdata', 'base-snapshot.yaml'));
    writeFileSync(
      join(dir, 'testdata', 'base-snapshot.yaml'),
      readFileSync(join(dir, 'testdata', 'base-snapshot.yaml'), 'utf8').replace(/deletionProtection: true/, 'deletionProtection: false'),
    );
    const { code, stdout } = await cli(['policies', 'test', '--no-default-policies', '--policies', dir]);
    expect(stdout).toContain('FAIL team-deletion-protection');
    expect(code).toBe(1);
  });
});

describe('test patches address named list items by name', () => {
  const base = {
    nodegroups: [
      { name: 'ng-1', subnetIds: ['a', 'b'], desiredSize: 2 },
      { name: 'ng-2', subnetIds: ['c'] },
    ],
    subnetIds: ['a'],
  };

  it('merges into the item of that name, adds a new name, and removes one set to null', () => {
    expect(mergePatch(base, { nodegroups: { 'ng-1': { subnetIds: ['a'] }, 'ng-2': null, 'ng-3': { subnetIds: ['d'] } } })).toEqual({
      nodegroups: [
        { name: 'ng-1', subnetIds: ['a'], desiredSize: 2 },
        { name: 'ng-3', subnetIds: ['d'] },
      ],
      subnetIds: ['a'],
    });
  });

  it('a list still replaces a list (RFC 7386)', () => {
    expect(mergePatch(base, { nodegroups: [] })).toEqual({ nodegroups: [], subnetIds: ['a'] });
  });

  it('works in a policy case file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eksguard-byname-'));
    writeFileSync(
      join(dir, 'team-multi-az.yaml'),
      readFileSync(join(DEFAULT_POLICY_DIR, 'nodegroups-multi-az.yaml'), 'utf8').replace('id: nodegroups-multi-az', 'id: team-multi-az'),
    );
    writeFileSync(
      join(dir, 'team-multi-az.test.yaml'),
      'cases:\n  - {name: two zones pass, expect: pass}\n  - name: one subnet of ng-1 fails\n    expect: fail\n    messageContains: node group ng-1 uses only us-east-1a\n    patch: {nodegroups: {ng-1: {subnetIds: [subnet-a]}}}\n',
    );
    const { code, stdout } = await cli(['policies', 'test', '--no-default-policies', '--policies', dir]);
    expect(stdout).toBe('ok   team-multi-az: two zones pass\nok   team-multi-az: one subnet of ng-1 fails\n2 passed, 0 failed\n');
    expect(code).toBe(0);
  });
});

describe('progress', () => {
  it('holds back repeats of one kind of notice for a few seconds', () => {
    let now = 0;
    const lines: string[] = [];
    const report = progressReporter({ stdout: () => {}, stderr: (t) => lines.push(t), env: {} }, () => now);
    report('throttled 1', 'throttle');
    now = 1000;
    report('throttled 2', 'throttle');
    report('collected', undefined);
    now = 4000;
    report('throttled 3', 'throttle');
    expect(lines).toEqual(['eksguard: throttled 1\n', 'eksguard: collected\n', 'eksguard: throttled 3\n']);
  });
});

describe('eksguard scan against the simulated demo account (the real bin)', () => {
  let simulator: Simulator;
  beforeAll(async () => {
    simulator = await startSimulator({ world: await loadDemoWorld() });
  });
  afterAll(() => simulator?.close());
  const json = async (...args: string[]) => {
    const run = await runCli(['scan', '--region', 'us-east-1', '--format', 'json', '--quiet', ...args], simulatorEnv(simulator.url));
    return { ...run, report: run.stdout ? (JSON.parse(run.stdout) as ScanReport) : undefined };
  };

  it('a named cluster that does not exist is exit 2, naming it and the clusters there', async () => {
    simulator.clearLog();
    const { code, stdout, stderr } = await json('--cluster', 'payments-prdo');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('eksguard scan: --cluster: no cluster matches "payments-prdo" in us-east-1 (clusters there: air-gapped, analytics, batch-jobs,');
    expect(simulator.log.map((e) => e.operation)).not.toContain('DescribeCluster');
  });

  it('--cluster takes globs like exceptions, and names only what it matched', async () => {
    const { code, report } = await json('--cluster', 'payments-*', '--cluster', 'ml-trainin?');
    expect(new Set(report!.results.map((r) => r.cluster))).toEqual(new Set(['payments-prod', 'ml-training']));
    expect(code).toBe(1);
  });

  it('a user policy runs beside the shipped ones', async () => {
    const { report } = await json('--cluster', 'old-reporting', '--policies', teamPolicyDir());
    const policies = new Set(report!.results.map((r) => r.policy));
    expect(policies.size).toBe(SHIPPED + 1);
    expect(report!.results.find((r) => r.policy === 'team-deletion-protection')).toMatchObject({ status: 'fail', cluster: 'old-reporting' });
  });

  it('--output writes the report to the file and leaves stdout empty', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'eksguard-out-')), 'report.json');
    const { code, stdout } = await json('--cluster', 'payments-prod', '--output', file);
    expect(stdout).toBe('');
    expect((JSON.parse(readFileSync(file, 'utf8')) as ScanReport).results.every((r) => r.cluster === 'payments-prod')).toBe(true);
    expect(code).toBe(0);
  });

  it('no credentials: named on stderr with how to fix it, exit 3, before any call', async () => {
    simulator.clearLog();
    const env = simulatorEnv(simulator.url);
    delete env.AWS_ACCESS_KEY_ID;
    delete env.AWS_SECRET_ACCESS_KEY;
    const { code, stdout, stderr } = await runCli(['scan', '--region', 'us-east-1'], env);
    expect(code).toBe(3);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^eksguard: no AWS credentials found \(.*\): set AWS_PROFILE or pass --profile, run `aws configure` or `aws sso login`/);
    expect(simulator.log).toEqual([]);
  });

  it('a profile that does not exist is named, exit 3, before any call', async () => {
    simulator.clearLog();
    const dir = mkdtempSync(join(tmpdir(), 'eksguard-aws-'));
    writeFileSync(join(dir, 'config'), '[default]\nregion = us-east-1\n[profile prod]\nregion = eu-west-1\n');
    const env = { ...simulatorEnv(simulator.url), AWS_CONFIG_FILE: join(dir, 'config'), AWS_PROFILE: 'prdo' };
    const { code, stderr } = await runCli(['scan', '--region', 'us-east-1'], env);
    expect(code).toBe(3);
    expect(stderr).toContain(`eksguard: AWS profile "prdo" is not in ${join(dir, 'config')} or /dev/null (profiles there: default, prod)`);
    const flag = await runCli(['scan', '--profile', 'nosuch'], { ...env, AWS_PROFILE: undefined });
    expect(flag.code).toBe(3);
    expect(flag.stderr).toContain('AWS profile "nosuch" is not in');
    expect(simulator.log).toEqual([]);
  });

  it('while AWS throttles, stderr says it is waiting and retrying', async () => {
    simulator.setFaults({ seed: 3, throttleRate: 0.5 });
    try {
      const { stderr, report } = await runCli(['scan', '--region', 'us-east-1', '--format', 'json'], simulatorEnv(simulator.url)).then((r) => ({
        ...r,
        report: JSON.parse(r.stdout) as ScanReport,
      }));
      expect(stderr).toMatch(/eksguard: us-east-1: AWS is throttling [A-Za-z]+ \(\d+ throttled calls so far\); waiting and retrying\n/);
      expect(report.errors).toEqual([]);
    } finally {
      simulator.setFaults(undefined);
    }
  });

  it('a table on a terminal is coloured and wrapped to its width; NO_COLOR turns colour off', async () => {
    const env = { ...simulatorEnv(simulator.url), FORCE_COLOR: '1', COLUMNS: '80' };
    const coloured = await runCli(['scan', '--cluster', 'batch-jobs', '--quiet'], env);
    expect(coloured.stdout).toContain('\u001b[');
    const widths = coloured.stdout
      .split('\n')
      .map((l) => stripVTControlCharacters(l))
      .join('\n')
      .split('\n')
      .filter((l) => !l.trimStart().startsWith('$ '))
      .map((l) => l.length);
    expect(Math.max(...widths)).toBeLessThanOrEqual(80);
    const plain = await runCli(['scan', '--cluster', 'batch-jobs', '--quiet'], { ...env, NO_COLOR: '1' });
    expect(plain.stdout).not.toContain('\u001b[');
    expect(plain.stdout).toMatch(/^FAIL {2}batch-jobs \(us-east-1\) {2}3 failed \(1 critical, 2 medium\) · \d+ passed/m);
  });
});
