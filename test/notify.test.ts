/** Rendering a cluster's news into SNS publish requests: Slack custom notification, email text, attributes, parts. */
import { describe, expect, it } from 'vitest';
import type { Transition, TrackedResult } from '../functions/core/drift/lifecycle.js';
import type { ClusterChange, ClusterOutcome, News } from '../functions/core/drift/track.js';
import { ChatNotification } from '../functions/core/notification/chat-notification.js';
import { clusterLocation } from '../functions/core/notification/cluster-location.js';
import { renderChatNotification, renderClusterNews, renderEmailText, type SnsPublish } from '../functions/core/notification/render.js';
import { SNS_LIMITS } from '../functions/core/notification/sns-limits.js';
import type { Severity } from '../functions/core/severity.js';

const key = { account: '111122223333', region: 'eu-west-1', cluster: 'prod-eu' };
const options = { scanId: 'scan-2024-05-01', generatedAt: '2024-05-01T12:00:00.000Z' };

const STATUS: Record<Transition, TrackedResult['status']> = {
  new: 'fail',
  ongoing: 'fail',
  'exception-expired': 'fail',
  error: 'error',
  excepted: 'excepted',
  resolved: 'pass',
};

function finding(policy: string, severity: Severity, transition: Transition, extra: Partial<TrackedResult> = {}, where = key): TrackedResult {
  return { policy, ...where, status: STATUS[transition], severity, message: `${policy} failed on sg-0123456789abcdef0`, transition, notify: true, ...extra };
}
const change = (path: string, summary: string, before: unknown = 'a', after: unknown = 'b', where = key): ClusterChange => ({ ...where, path, before, after, summary });
const outcome = (results: TrackedResult[], changes: ClusterChange[], kind: ClusterOutcome['kind'] = 'existing', where = key): ClusterOutcome => ({
  key: where,
  kind,
  changes,
  results,
  record: { ...where, version: 1, findings: {}, scanId: options.scanId, updatedAt: options.generatedAt },
  previousVersion: 1,
});
const news = (o: ClusterOutcome): News => ({ results: o.results.filter((r) => r.notify), changes: o.changes });
const render = (o: ClusterOutcome, opts: Parameters<typeof renderClusterNews>[2] = options) => renderClusterNews(o, news(o), opts);

/** What each subscriber gets out of one publish. */
function open(p: SnsPublish) {
  const body = JSON.parse(p.message) as Record<string, unknown>;
  for (const value of Object.values(body)) expect(typeof value).toBe('string'); // SNS: protocol keys need string values
  const chat = ChatNotification.parse(JSON.parse(body.default as string));
  return { body: body as { default: string; https: string; email: string }, chat };
}

/** SNS counts the message body and every attribute's name, type and value (eksguard adds the subject for margin). */
const snsBytes = (p: SnsPublish) =>
  Buffer.byteLength(p.message) +
  Buffer.byteLength(p.subject) +
  Object.entries(p.attributes).reduce((n, [k, a]) => n + Buffer.byteLength(k) + Buffer.byteLength(a.DataType) + Buffer.byteLength(a.StringValue), 0);

function expectValidSubject(subject: string) {
  expect(subject.length).toBeLessThan(100);
  expect(subject).toMatch(/^[A-Za-z0-9!-/:-@[-`{-~][\x20-\x7e]*$/);
}

/** Attribute-based SNS filter policy matching, for exact string values (String, and String.Array: any element). */
function matches(policy: Record<string, string[]>, attributes: SnsPublish['attributes']): boolean {
  return Object.entries(policy).every(([name, allowed]) => {
    const attribute = attributes[name];
    if (!attribute) return false;
    const values = attribute.DataType === 'String.Array' ? (JSON.parse(attribute.StringValue) as unknown[]).map(String) : [attribute.StringValue];
    return values.some((v) => allowed.includes(v));
  });
}

const REMEDIATION = (what: string) => `Restrict ${what}. Run: aws eks update-cluster-config --region eu-west-1 --name prod-eu --resources-vpc-config endpointPublicAccess=false`;

describe('a normal cluster message', () => {
  const results = [
    finding('zz-low-resolved', 'low', 'resolved'),
    finding('b-endpoint-public', 'high', 'new', { remediation: REMEDIATION('the endpoint') }),
    finding('a-audit-logging', 'high', 'new', {
      remediation: 'Enable audit logs. Run: aws eks update-cluster-config --region eu-west-1 --name prod-eu --logging \'{"clusterLogging":[{"types":["audit"],"enabled":true}]}\'',
    }),
    finding('c-still-open', 'high', 'ongoing', { remediation: 'Not shown as a next step.' }),
    finding('sg-open-ingress', 'critical', 'exception-expired', {
      exceptionExpired: '2024-04-30',
      remediation: 'Close the rule. Run: aws ec2 revoke-security-group-ingress --region eu-west-1 --group-id <sg-id>',
    }),
    finding('medium-excepted', 'medium', 'excepted'),
    finding('secrets-encryption', 'medium', 'error', { message: 'could not read cluster: AccessDenied' }),
    finding('quiet-ongoing', 'info', 'ongoing', { notify: false }),
  ];
  const changes = [
    change('cluster.endpoint.publicAccess', 'public endpoint access changed: false -> true', false, true),
    change('securityGroups.sg-0fedcba9876543210.ingress', 'security group sg-0fedcba9876543210 ingress rule added: tcp 443 from 0.0.0.0/0', null, 'tcp 443 from 0.0.0.0/0'),
  ];
  const o = outcome(results, changes);
  const parts = render(o);

  it('is one SNS message for the cluster, JSON-structured for every protocol', () => {
    expect(parts).toHaveLength(1);
    const [p] = parts;
    expect(p!.messageStructure).toBe('json');
    const { body } = open(p!);
    expect(Object.keys(body)).toEqual(['default', 'https', 'email']);
    expect(body.https).toBe(body.default);
    expect(snsBytes(p!)).toBeLessThan(SNS_LIMITS.messageBytes);
  });

  it('carries a valid custom notification with what changed, where and what to do', () => {
    const { chat } = open(parts[0]!);
    expect(chat.version).toBe('1.0');
    expect(chat.source).toBe('custom');
    expect(chat.id).toContain('scan-2024-05-01');
    expect(chat.content.textType).toBe('client-markdown');
    expect(chat.content.title).toBe(
      ':rotating_light: eksguard: 2 new findings, 1 expired exception, 1 check that could not run, 1 reminder, 1 excepted, 1 resolved, 2 changes on prod-eu (111122223333, eu-west-1)',
    );
    const d = chat.content.description;
    expect(d).toContain('*Cluster* `prod-eu` · account `111122223333` · region `eu-west-1`');
    expect(d).toContain('<https://eu-west-1.console.aws.amazon.com/eks/home?region=eu-west-1#/clusters/prod-eu|Open prod-eu in the EKS console>');
    expect(d).toContain('Scan `scan-2024-05-01` at 2024-05-01T12:00:00.000Z');

    // Most severe first, then transition (new before reminders), then policy id; changes after findings.
    const order = [
      'sg-open-ingress',
      'a-audit-logging',
      'b-endpoint-public',
      'c-still-open',
      'secrets-encryption',
      'medium-excepted',
      'zz-low-resolved',
      'public endpoint access',
      'ingress rule added',
    ];
    const positions = order.map((text) => d.indexOf(text));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(d).not.toContain('quiet-ongoing');

    expect(d).toContain('• :red_circle: *CRITICAL* · *EXCEPTION EXPIRED* · `sg-open-ingress` — sg-open-ingress failed on sg-0123456789abcdef0 (exception expired 2024-04-30)');
    expect(d).toContain('*REMINDER: still failing* · `c-still-open`');
    expect(d).toContain('*COULD NOT CHECK* · `secrets-encryption` — could not read cluster: AccessDenied');
    expect(d).toContain('• :pencil2: public endpoint access changed: false → true');
    expect(d.length).toBeLessThanOrEqual(8000);

    // Remediation (with the aws CLI command) for new findings and expired exceptions only.
    expect(chat.content.nextSteps).toEqual([
      '`sg-open-ingress`: Close the rule. `aws ec2 revoke-security-group-ingress --region eu-west-1 --group-id &lt;sg-id&gt;`',
      '`a-audit-logging`: Enable audit logs. `aws eks update-cluster-config --region eu-west-1 --name prod-eu --logging \'{"clusterLogging":[{"types":["audit"],"enabled":true}]}\'`',
      '`b-endpoint-public`: Restrict the endpoint. `aws eks update-cluster-config --region eu-west-1 --name prod-eu --resources-vpc-config endpointPublicAccess=false`',
    ]);
    expect(chat.content.keywords).toEqual(['critical', 'high', 'medium', 'low', 'prod-eu', 'eu-west-1', 'eksguard']);

    expect(chat.metadata).toMatchObject({
      threadId: 'eksguard-111122223333-eu-west-1-prod-eu',
      eventType: 'eksguard-cluster-news',
      enableCustomActions: true,
      additionalContext: { account: '111122223333', region: 'eu-west-1', cluster: 'prod-eu', scanId: 'scan-2024-05-01', part: '1/1', partition: 'aws' },
    });
    expect(chat.metadata!.summary).toContain('on prod-eu (111122223333, eu-west-1)');
    expect(chat.metadata!.relatedResources).toEqual(['arn:aws:eks:eu-west-1:111122223333:cluster/prod-eu', 'sg-0123456789abcdef0', 'sg-0fedcba9876543210']);
  });

  it('threads every alert of a cluster together, whatever the scan', () => {
    const other = renderChatNotification(o, news(o), { ...options, scanId: 'scan-2024-05-02' });
    expect(other[0]!.metadata!.threadId).toBe(open(parts[0]!).chat.metadata!.threadId);
    expect(other[0]!.id).not.toBe(open(parts[0]!).chat.id);
  });

  it('sets attributes a subscription filter policy can route on', () => {
    const a = parts[0]!.attributes;
    expect(Object.keys(a).length).toBeLessThanOrEqual(SNS_LIMITS.messageAttributes);
    for (const name of Object.keys(a)) expect(name).toMatch(/^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,255}$/);
    for (const value of Object.values(a)) expect(value.StringValue.length).toBeGreaterThan(0);
    expect(a).toEqual({
      severity: { DataType: 'String', StringValue: 'critical' },
      actionSeverity: { DataType: 'String', StringValue: 'critical' },
      severities: { DataType: 'String.Array', StringValue: '["critical","high","medium","low"]' },
      kind: { DataType: 'String.Array', StringValue: '["new","exception-expired","error","ongoing","excepted","resolved","drift"]' },
      cluster: { DataType: 'String', StringValue: 'prod-eu' },
      account: { DataType: 'String', StringValue: '111122223333' },
      region: { DataType: 'String', StringValue: 'eu-west-1' },
      scanId: { DataType: 'String', StringValue: 'scan-2024-05-01' },
      policyIds: {
        DataType: 'String.Array',
        StringValue: JSON.stringify(['sg-open-ingress', 'a-audit-logging', 'b-endpoint-public', 'c-still-open', 'secrets-encryption', 'medium-excepted', 'zz-low-resolved']),
      },
    });
  });

  it('has an SNS subject within limits', () => {
    // The full list of counts would not fit: the last ones give way to "..."; the account is always named.
    expect(parts[0]!.subject).toBe('eksguard: 2 new, 1 expired, 1 error, 1 reminder, ... on prod-eu (111122223333 eu-west-1)');
    expectValidSubject(parts[0]!.subject);
  });

  it('keeps the subject ASCII and short whatever the cluster name', () => {
    const long = { ...key, cluster: `a-${'very-long-cluster-name-'.repeat(4)}x` };
    const o2 = outcome([finding('p', 'high', 'new', {}, long)], [change('cluster.version', 'Kubernetes version changed: 1.29 -> 1.30', '1.29', '1.30', long)], 'existing', long);
    const [p] = render(o2);
    expectValidSubject(p!.subject);
    expect(p!.subject).toMatch(/^eksguard: 1 new, \.\.\. on a-very-long-cluster-name-.*\.\.\. \(111122223333 eu-west-1\)$/);
    const { chat } = open(p!);
    expect(chat.content.keywords!.every((k) => k.length <= 75)).toBe(true);
    expect(chat.content.keywords).toContain(`${long.cluster.slice(0, 74)}…`);
  });

  it('gives email subscribers readable plain text with the same facts and commands on their own lines', () => {
    const { body } = open(parts[0]!);
    const email = body.email;
    expect(email).toBe(renderEmailText(o, news(o), options)[0]);
    const lines = email.split('\n');
    expect(lines[0]).toBe(
      'eksguard: 2 new findings, 1 expired exception, 1 check that could not run, 1 reminder, 1 excepted, 1 resolved, 2 changes on prod-eu (111122223333, eu-west-1)',
    );
    expect(lines).toContain('Cluster:  prod-eu');
    expect(lines).toContain('Account:  111122223333');
    expect(lines).toContain('Region:   eu-west-1');
    expect(lines).toContain('Console:  https://eu-west-1.console.aws.amazon.com/eks/home?region=eu-west-1#/clusters/prod-eu');
    expect(lines).toContain('[CRITICAL] EXCEPTION EXPIRED  sg-open-ingress');
    expect(lines).toContain('    Exception expired: 2024-04-30');
    expect(lines).toContain('[HIGH] REMINDER: still failing  c-still-open');
    // Each command alone on its line, unescaped (plain text, not markdown).
    expect(lines).toContain('      aws ec2 revoke-security-group-ingress --region eu-west-1 --group-id <sg-id>');
    expect(lines).toContain('      aws eks update-cluster-config --region eu-west-1 --name prod-eu --resources-vpc-config endpointPublicAccess=false');
    expect(lines).toContain('  ~ public endpoint access changed: false → true');
    expect(email.indexOf('FINDINGS')).toBeLessThan(email.indexOf('CHANGES'));
    expect(email).not.toContain('&lt;');
    expect(email).not.toContain('quiet-ongoing');
  });

  it('escapes Slack control characters in text it does not own', () => {
    const o2 = outcome([finding('x', 'high', 'new', { message: 'rule <all> & more' })], []);
    const { chat } = open(render(o2)[0]!);
    expect(chat.content.description).toContain('rule &lt;all&gt; &amp; more');
  });

  it('renders nothing when there is no news', () => {
    expect(render(outcome([], []))).toEqual([]);
  });
});

describe('an excepted finding', () => {
  const exception = { owner: 'data@example.com', reason: 'Public ingestion until the VPN migration', expires: '2027-03-31', location: 'policies/settings/exceptions.yaml:4' };
  const o = outcome([finding('endpoint-public', 'medium', 'excepted', { message: 'endpoint is public', exception })], []);

  it("shows the policy message and the exception, in chat and email, from the result's data", () => {
    const { chat, body } = open(render(o)[0]!);
    expect(chat.content.description).toContain('endpoint is public [excepted until 2027-03-31 by data@example.com: Public ingestion until the VPN migration]');
    expect(body.email).toContain(
      '    endpoint is public\n    Excepted until 2027-03-31 by data@example.com: Public ingestion until the VPN migration (policies/settings/exceptions.yaml:4)',
    );
  });
});
describe('console links and ARNs per partition', () => {
  it('knows the commercial, GovCloud and China consoles', () => {
    expect(clusterLocation('111122223333', 'us-gov-west-1', 'gov')).toEqual({
      partition: 'aws-us-gov',
      clusterArn: 'arn:aws-us-gov:eks:us-gov-west-1:111122223333:cluster/gov',
      consoleUrl: 'https://console.amazonaws-us-gov.com/eks/home?region=us-gov-west-1#/clusters/gov',
    });
    expect(clusterLocation('111122223333', 'cn-north-1', 'cn')).toEqual({
      partition: 'aws-cn',
      clusterArn: 'arn:aws-cn:eks:cn-north-1:111122223333:cluster/cn',
      consoleUrl: 'https://console.amazonaws.cn/eks/home?region=cn-north-1#/clusters/cn',
    });
  });

  it('gives no link rather than a wrong one, and says so', () => {
    const iso = { account: '111122223333', region: 'us-iso-east-1', cluster: 'secret' };
    const o = outcome([finding('p', 'high', 'new', {}, iso)], [], 'existing', iso);
    const { chat, body } = open(render(o)[0]!);
    expect(chat.content.description).toContain('_No console link: eksguard has no console address for partition aws-iso._');
    expect(chat.content.description).not.toContain('console.aws.amazon.com');
    expect(chat.metadata!.relatedResources![0]).toBe('arn:aws-iso:eks:us-iso-east-1:111122223333:cluster/secret');
    expect(body.email).toContain('Console:  (no link: eksguard has no console address for partition aws-iso)');

    expect(clusterLocation('111122223333', 'not a region', 'x')).toMatchObject({ partition: undefined, clusterArn: undefined, consoleUrl: undefined });
  });
});

describe('a cluster with 500 new findings and 300 changes', () => {
  const severities: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
  const results = Array.from({ length: 500 }, (_, i) =>
    finding(`policy-${String(i).padStart(3, '0')}-with-a-rather-long-descriptive-name`, severities[i % 5]!, 'new', {
      message: `Finding ${i}: the rule on sg-${String(i).padStart(17, '0')} allows 0.0.0.0/0 on port ${i}`,
      remediation: `Fix finding ${i}. Run: aws ec2 revoke-security-group-ingress --region eu-west-1 --group-id sg-${String(i).padStart(17, '0')} --protocol tcp --port ${i} --cidr 0.0.0.0/0`,
    }),
  );
  const changes = Array.from({ length: 300 }, (_, i) =>
    change(
      `subnets.subnet-${String(i).padStart(8, '0')}.routeTableId`,
      `subnet subnet-${String(i).padStart(8, '0')} route table changed: rtb-0000000${i % 10} -> rtb-1111111${i % 10} (change ${i})`,
    ),
  );
  const o = outcome(results, changes);

  function checkParts(parts: SnsPublish[], maxBytes: number) {
    expect(parts.length).toBeGreaterThan(1);
    const n = parts.length;
    const seenPolicies: string[] = [];
    const seenChanges: string[] = [];
    const seenCommands: string[] = [];
    parts.forEach((p, index) => {
      const i = index + 1;
      const { chat, body } = open(p); // validates against the chat schema
      expect(snsBytes(p)).toBeLessThanOrEqual(maxBytes);
      expect(chat.content.description.length).toBeLessThanOrEqual(8000);
      expect(chat.content.title!.length).toBeLessThanOrEqual(250);
      expect(chat.content.title).toContain(`(part ${i} of ${n})`);
      expect(chat.content.description).toContain(`*part ${i} of ${n}*`);
      expect(chat.metadata!.additionalContext!.part).toBe(`${i}/${n}`);
      expect(chat.metadata!.threadId).toBe('eksguard-111122223333-eu-west-1-prod-eu');
      expect(body.email).toContain(`This is part ${i} of ${n}`);
      expectValidSubject(p.subject);
      expect(p.subject.endsWith(` [${i}/${n}]`)).toBe(true);
      // Each part stands alone: cluster, account, region and console link in every one.
      expect(chat.content.description).toContain('*Cluster* `prod-eu` · account `111122223333` · region `eu-west-1`');
      expect(chat.content.description).toContain('console.aws.amazon.com/eks/home?region=eu-west-1#/clusters/prod-eu');

      const lines = chat.content.description.split('\n');
      const policies = lines.flatMap((l) => l.match(/^• .* · `(policy-[^`]+)`/)?.[1] ?? []);
      const changeLines = lines.flatMap((l) => l.match(/\(change (\d+)\)$/)?.[1] ?? []);
      seenPolicies.push(...policies);
      seenChanges.push(...changeLines);
      seenCommands.push(...body.email.split('\n').filter((l) => l.startsWith('      aws ec2 revoke-security-group-ingress')));

      // The email lists exactly the items the chat message lists.
      for (const policy of policies) expect(body.email).toContain(`  ${policy}\n`);

      // Attributes describe this part; a shortened policyIds list is said in the body.
      const attributePolicies = JSON.parse(p.attributes.policyIds?.StringValue ?? '[]') as string[];
      expect(Buffer.byteLength(p.attributes.policyIds?.StringValue ?? '')).toBeLessThanOrEqual(2048);
      expect(attributePolicies).toEqual(policies.slice(0, attributePolicies.length));
      if (attributePolicies.length < policies.length) {
        expect(chat.content.description).toContain(`The policyIds message attribute lists ${attributePolicies.length} of the ${policies.length} policies in this message.`);
      }
      const kinds = JSON.parse(p.attributes.kind!.StringValue) as string[];
      expect(kinds).toEqual([...(policies.length ? ['new'] : []), ...(changeLines.length ? ['drift'] : [])]);

      // The next steps are capped, and a shortened list says how many were left out.
      const steps = chat.content.nextSteps ?? [];
      expect(steps.length).toBeLessThanOrEqual(10);
      if (policies.length > 10) expect(steps.at(-1)).toBe(`… and ${policies.length - 9} more remediations: the email version of this alert lists every command.`);
      else expect(steps).toHaveLength(policies.length);
    });

    // No item is lost, none is repeated, and the global order holds across parts.
    expect(seenPolicies).toHaveLength(500);
    expect(new Set(seenPolicies).size).toBe(500);
    expect(seenChanges).toEqual(changes.map((_, i) => String(i)));
    expect(seenCommands).toHaveLength(500);
    const rank = (policy: string) => Number(policy.slice(7, 10)) % 5;
    const ranks = seenPolicies.map(rank);
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    expect(seenPolicies.filter((p) => rank(p) === 0)).toEqual([...seenPolicies.filter((p) => rank(p) === 0)].sort());
  }

  it('splits into numbered parts within the chat limits, losing nothing', () => {
    checkParts(render(o), SNS_LIMITS.messageBytes);
  });

  it('splits on the SNS size limit too (a topic with a smaller MaximumMessageSize)', () => {
    const parts = render(o, { ...options, maxMessageBytes: 30_000 });
    checkParts(parts, 30_000);
    expect(parts.length).toBeGreaterThan(render(o).length);
  });

  it('clips an oversized text explicitly and never cuts a command', () => {
    const huge = 'x'.repeat(20_000);
    const longCommand = `aws ec2 revoke-security-group-ingress --region eu-west-1 --group-id sg-0123456789abcdef0 --ip-permissions '${'IpProtocol=tcp,FromPort=1,ToPort=2,IpRanges=[{CidrIp=0.0.0.0/0}] '.repeat(8)}'`;
    const o2 = outcome([finding('huge', 'critical', 'new', { message: huge, remediation: `Fix it. Run: ${longCommand}` })], []);
    const [p] = render(o2);
    const { chat, body } = open(p!);
    expect(chat.content.description).toMatch(/… _\[\d+ more characters: see the email version for the full text\]_/);
    expect(body.email).toMatch(/\.\.\. \[\d+ more characters not shown\]/);
    expect(chat.content.nextSteps).toEqual(['`huge`: Fix it. The aws CLI command is too long for a chat message: it is in the email version of this alert.']);
    expect(body.email.split('\n')).toContain(`      ${longCommand}`);
  });

  it('a next step that must be shortened keeps the why, clipped, and links the policy reference', () => {
    const why = `Revoke the rule; ${'explain the risk at length. '.repeat(12)}`;
    const command = 'aws ec2 revoke-security-group-ingress --region eu-west-1 --group-id sg-0123456789abcdef0 --protocol tcp --port 443 --cidr 0.0.0.0/0';
    const o2 = outcome(
      [finding('sg-open', 'high', 'new', { remediation: `${why} Run: ${command}`, reference: 'https://docs.aws.amazon.com/eks/latest/userguide/sec-group-reqs.html' })],
      [],
    );
    const [step] = open(render(o2)[0]!).chat.content.nextSteps!;
    expect(step!.length).toBeLessThanOrEqual(350);
    expect(step).toMatch(
      /^`sg-open`: Revoke the rule; explain the risk at length\. .* … _\[\d+ more characters: see the email version\]_ \(<https:\/\/docs\.aws\.amazon\.com\/eks\/latest\/userguide\/sec-group-reqs\.html\|why and how>\) `aws ec2 revoke-security-group-ingress/,
    );
    expect(step!.endsWith(`\`${command}\``)).toBe(true);
  });
});

describe('cluster lifecycle messages', () => {
  it('announces a deleted cluster with its findings resolved', () => {
    const deleted = outcome(
      [
        { ...finding('endpoint-public', 'high', 'resolved'), status: 'not-applicable', message: 'cluster prod-eu was deleted' },
        { ...finding('audit-logging', 'medium', 'resolved'), status: 'not-applicable', message: 'cluster prod-eu was deleted' },
      ],
      [change('cluster', 'cluster prod-eu deleted', 'prod-eu', null)],
      'deleted',
    );
    const parts = render(deleted);
    expect(parts).toHaveLength(1);
    const { chat, body } = open(parts[0]!);
    expect(chat.content.title).toBe(':wastebasket: eksguard: cluster deleted, 2 resolved on prod-eu (111122223333, eu-west-1)');
    expect(chat.content.description).toContain('_The cluster no longer exists: its open findings are resolved._');
    expect(chat.content.description).toContain('*RESOLVED* · `endpoint-public` — cluster prod-eu was deleted');
    expect(chat.content.description).toContain('• :information_source: cluster prod-eu deleted');
    expect(chat.content.nextSteps).toBeUndefined();
    expect(body.email).toContain('The cluster no longer exists: its open findings are resolved.');
    expect(parts[0]!.subject).toBe('eksguard: deleted, 2 resolved on prod-eu (111122223333 eu-west-1)');
    expect(JSON.parse(parts[0]!.attributes.kind!.StringValue)).toEqual(['cluster-deleted', 'resolved']);
    expect(parts[0]!.attributes.severity!.StringValue).toBe('high');
    expect(parts[0]!.attributes.actionSeverity!.StringValue).toBe('none');
  });

  it('announces a new cluster', () => {
    const created = outcome(
      [finding('endpoint-public', 'high', 'new', { remediation: REMEDIATION('it') })],
      [change('cluster', 'new cluster prod-eu (1.29, VPC vpc-0123456789abcdef0)', null, 'prod-eu')],
      'new',
    );
    const [p] = render(created);
    const { chat } = open(p!);
    expect(chat.content.title).toBe(':rotating_light: eksguard: new cluster, 1 new finding on prod-eu (111122223333, eu-west-1)');
    expect(JSON.parse(p!.attributes.kind!.StringValue)).toEqual(['cluster-new', 'new']);
    expect(chat.metadata!.relatedResources).toContain('vpc-0123456789abcdef0');
  });

  it('reports an unreadable cluster as checks that could not run', () => {
    const unreadable = outcome([finding('endpoint-public', 'high', 'error', { message: 'cluster could not be read: AccessDeniedException' })], [], 'unreadable');
    const [p] = render(unreadable);
    const { chat } = open(p!);
    expect(chat.content.title).toBe(':x: eksguard: cluster unreadable, 1 check that could not run on prod-eu (111122223333, eu-west-1)');
    expect(JSON.parse(p!.attributes.kind!.StringValue)).toEqual(['error']);
  });
});

describe('reminders', () => {
  it('labels ongoing findings as reminders', () => {
    const o = outcome([finding('endpoint-public', 'high', 'ongoing'), finding('audit-logging', 'medium', 'ongoing')], []);
    const [p] = render(o);
    const { chat, body } = open(p!);
    expect(chat.content.title).toBe(':warning: eksguard: 2 reminders on prod-eu (111122223333, eu-west-1)');
    expect(chat.content.description).toContain('• :large_orange_circle: *HIGH* · *REMINDER: still failing* · `endpoint-public`');
    expect(chat.content.description).toContain('• :large_yellow_circle: *MEDIUM* · *REMINDER: still failing* · `audit-logging`');
    expect(body.email).toContain('[HIGH] REMINDER: still failing  endpoint-public');
    expect(p!.subject).toBe('eksguard: 2 reminders on prod-eu (111122223333 eu-west-1)');
    expect(JSON.parse(p!.attributes.kind!.StringValue)).toEqual(['ongoing']);
  });
});

describe('routing with an SNS subscription filter policy', () => {
  const messages = {
    critical: render(outcome([finding('a', 'critical', 'new'), finding('b', 'low', 'new')], []))[0]!,
    high: render(outcome([finding('a', 'high', 'ongoing')], []))[0]!,
    medium: render(outcome([finding('a', 'medium', 'new')], []))[0]!,
    drift: render(outcome([], [change('cluster.version', 'Kubernetes version changed: 1.29 -> 1.30')]))[0]!,
    resolvedHigh: render(outcome([finding('a', 'high', 'resolved')], []))[0]!,
  };
  const selected = (policy: Record<string, string[]>) =>
    Object.entries(messages)
      .filter(([, m]) => matches(policy, m.attributes))
      .map(([name]) => name);

  it('selects critical and high only', () => {
    expect(selected({ severity: ['critical', 'high'] })).toEqual(['critical', 'high', 'resolvedHigh']);
    // Only what still needs action (resolved findings do not page anyone).
    expect(selected({ actionSeverity: ['critical', 'high'] })).toEqual(['critical', 'high']);
    expect(messages.drift.attributes.severity!.StringValue).toBe('none');
  });

  it('selects on what a message contains (String.Array attributes match any element)', () => {
    expect(selected({ kind: ['drift'] })).toEqual(['drift']);
    expect(selected({ severities: ['low'] })).toEqual(['critical']);
    expect(selected({ kind: ['new'], severity: ['critical', 'high'] })).toEqual(['critical']);
    expect(selected({ cluster: ['prod-eu'], region: ['eu-west-1'], account: ['111122223333'] })).toHaveLength(5);
  });
});
