/**
 * Builds the AWS adapters behind the ports of app/ports.ts, for the Lambda handlers (scan.ts,
 * config-rule.ts) and the CLI. SDK clients are made here, once per cold start or command, all
 * sharing one set of per-service rate limiters (EKSGUARD_RATE_LIMITS), one time budget, the
 * retry policy of collect/retry.ts and the timeouts of collect/timed-request-handler.ts;
 * endpoints come from the SDK's own configuration. Only what every Lambda invocation needs is
 * imported here: the optional features (HTML report bucket, Security Hub) load their SDK client
 * on first use, a separate chunk of the Lambda bundle (infra/esbuild-plugins.cjs), and the CLI's
 * local state file is built by the CLI (cli/scan-run.ts).
 */
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Collector, EvaluationSink, FindingsExporter, Publisher, ReportStore, StateStore } from './app/ports.js';
import {
  awsClientConfig,
  createStsClient,
  regionClientCache,
  resolveClientOptions,
  type ClientOptions,
  type RegionClients,
  type ResolvedClientOptions,
} from './collect/aws-clients.js';
import { AwsCollector } from './collect/aws-collector.js';
import { ConfigEvaluationSink } from './publishers/config-evaluations.js';
import { regionOfArn, SnsPublisher } from './publishers/sns-publisher.js';
import { DynamoDbStateStore } from './state/dynamodb-state-store.js';

/** Rate limiters, budget, retry and timeouts shared by every client of this process. */
let shared: ResolvedClientOptions | undefined;
const aws = (credentials?: ClientOptions['credentials']): ResolvedClientOptions => {
  shared ??= resolveClientOptions();
  return credentials ? { ...shared, credentials } : shared;
};
const homeRegion = () => process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';

/**
 * Reads clusters in any region (clients cached per region); STS is called in `homeRegion`. The
 * CLI passes the credentials it resolved and its own client cache (to watch for throttling),
 * built from `clientOptions(credentials)` so that it shares the limiters and the budget.
 */
export const awsCollector = (homeRegion: string, options: Pick<ClientOptions, 'credentials'> & { clientsFor?: (region: string) => RegionClients } = {}): Collector =>
  new AwsCollector(options.clientsFor ?? regionClientCache(aws(options.credentials)), createStsClient(homeRegion, aws(options.credentials)), aws().budget);

/** The options every client of this process is built with (the CLI builds its region clients from them). */
export const clientOptions = (credentials?: ClientOptions['credentials']): ResolvedClientOptions => aws(credentials);

/** Publishes to an SNS topic, in the topic's own region. */
export const snsPublisher = (topicArn: string, options: Pick<ClientOptions, 'credentials'> = {}): Publisher =>
  new SnsPublisher(new SNSClient({ region: regionOfArn(topicArn), ...awsClientConfig('sns', regionOfArn(topicArn), aws(options.credentials)) }), topicArn);

export const dynamoDbStateStore = (table: string): StateStore => new DynamoDbStateStore(new DynamoDBClient(awsClientConfig('dynamodb', homeRegion(), aws())), table);

/** The adapter `load` resolves to, loaded on the first call (a failed load is tried again on the next). */
function onFirstUse<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () =>
    (loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));
}

/** Writes the HTML report to the report bucket (deployment parameter htmlReport); the S3 client loads with the first report. */
export const s3ReportStore = (bucket: string): ReportStore => {
  const store = onFirstUse(async () => (await import('./publishers/s3-report-store.js')).createS3ReportStore(awsClientConfig('s3', homeRegion(), aws()), bucket));
  return { putLatest: async (html, scan) => (await store()).putLatest(html, scan) };
};

export const configEvaluationSink = (): EvaluationSink => new ConfigEvaluationSink(new ConfigServiceClient(awsClientConfig('config', homeRegion(), aws())));

/** Imports findings into Security Hub, each in its own region (one client per region), sharing the process's limiters and budget. */
export const securityHubExporter = (options: Pick<ClientOptions, 'credentials'> = {}): FindingsExporter => {
  const exporter = onFirstUse(async () =>
    (await import('./publishers/securityhub-exporter.js')).createSecurityHubExporter((region) => awsClientConfig('securityhub', region, aws(options.credentials))),
  );
  return { importFindings: async (findings) => (await exporter()).importFindings(findings) };
};
