/**
 * Builds the adapters behind the ports of app/ports.ts, for the Lambda handlers (scan.ts,
 * config-rule.ts) and the CLI. SDK clients are made here, once per cold start or command, all
 * sharing one set of per-service rate limiters (EKSGUARD_RATE_LIMITS), one time budget, the
 * retry policy of collect/retry.ts and the timeouts of collect/timed-request-handler.ts;
 * endpoints come from the SDK's own configuration.
 */
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
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
import { S3ReportStore } from './publishers/s3-report-store.js';
import { SecurityHubExporter } from './publishers/securityhub-exporter.js';
import { regionOfArn, SnsPublisher } from './publishers/sns-publisher.js';
import { DynamoDbStateStore } from './state/dynamodb-state-store.js';
import { FileStateStore } from './state/file-state-store.js';

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

export const s3ReportStore = (bucket: string): ReportStore => new S3ReportStore(new S3Client(awsClientConfig('s3', homeRegion(), aws())), bucket);

export const fileStateStore = (file: string): StateStore => new FileStateStore(file);

export const configEvaluationSink = (): EvaluationSink => new ConfigEvaluationSink(new ConfigServiceClient(awsClientConfig('config', homeRegion(), aws())));

/** Imports findings into Security Hub, each in its own region (one client per region), sharing the process's limiters and budget. */
export const securityHubExporter = (options: Pick<ClientOptions, 'credentials'> = {}): FindingsExporter =>
  new SecurityHubExporter((region) => new SecurityHubClient({ region, ...awsClientConfig('securityhub', region, aws(options.credentials)) }));
