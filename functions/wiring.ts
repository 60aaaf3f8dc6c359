/**
 * Builds the adapters behind the ports of app/ports.ts, for the Lambda handlers (scan.ts,
 * config-rule.ts) and the CLI. SDK clients are made here, once per cold start or command, with
 * the retry policy of collect/retry.ts; endpoints come from the SDK's own configuration.
 */
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Collector, EvaluationSink, Publisher, ReportStore, StateStore } from './app/ports.js';
import { createStsClient, regionClientCache, type ClientOptions, type RegionClients } from './collect/aws-clients.js';
import { AwsCollector } from './collect/aws-collector.js';
import { retryStrategyFor } from './collect/retry.js';
import { ConfigEvaluationSink } from './publishers/config-evaluations.js';
import { S3ReportStore } from './publishers/s3-report-store.js';
import { regionOfArn, SnsPublisher } from './publishers/sns-publisher.js';
import { DynamoDbStateStore } from './state/dynamodb-state-store.js';
import { FileStateStore } from './state/file-state-store.js';

/**
 * Reads clusters in any region (clients cached per region); STS is called in `homeRegion`. The
 * CLI passes the credentials it resolved and its own client cache (to watch for throttling).
 */
export const awsCollector = (homeRegion: string, options: ClientOptions & { clientsFor?: (region: string) => RegionClients } = {}): Collector =>
  new AwsCollector(options.clientsFor ?? regionClientCache(options), createStsClient(homeRegion, options));

/** Publishes to an SNS topic, in the topic's own region. */
export const snsPublisher = (topicArn: string, options: Pick<ClientOptions, 'credentials'> = {}): Publisher =>
  new SnsPublisher(
    new SNSClient({ region: regionOfArn(topicArn), retryStrategy: retryStrategyFor(), ...(options.credentials ? { credentials: options.credentials } : {}) }),
    topicArn,
  );

export const dynamoDbStateStore = (table: string): StateStore => new DynamoDbStateStore(new DynamoDBClient({ retryStrategy: retryStrategyFor() }), table);

export const s3ReportStore = (bucket: string): ReportStore => new S3ReportStore(new S3Client({ retryStrategy: retryStrategyFor() }), bucket);

export const fileStateStore = (file: string): StateStore => new FileStateStore(file);

export const configEvaluationSink = (): EvaluationSink => new ConfigEvaluationSink(new ConfigServiceClient({ retryStrategy: retryStrategyFor() }));
