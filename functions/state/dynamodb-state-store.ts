/**
 * The deployed state store: one DynamoDB item per account/region/cluster (pk "account#region",
 * sk cluster). The snapshot is stored gzip-compressed (items are limited to 400 KB); the rest of
 * the record as JSON. Writes are conditional on the version read; deleted clusters get a TTL.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  paginateQuery,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { storedSnapshot, type ClusterKey, type ClusterRecord } from '../core/drift/record.js';
import type { ClusterSnapshot } from '../core/snapshot/schema.js';
import { StateConflictError, type StateStore } from '../app/ports.js';

/** How long the record of a deleted cluster is kept before DynamoDB's TTL removes it. */
export const DELETED_RECORD_TTL_DAYS = 30;

const pk = (k: { account: string; region: string }) => ({ S: `${k.account}#${k.region}` });
const itemKey = (k: ClusterKey) => ({ pk: pk(k), sk: { S: k.cluster } });

/** The record may hold any version or none; the lease must be free, expired or ours. */
const CONDITION = '(#v = :expected OR (attribute_not_exists(#v) AND :expected = :none)) AND (attribute_not_exists(leaseOwner) OR leaseUntil <= :now OR leaseOwner = :owner)';

function conditionValues(expectedVersion: number | undefined, owner: string | undefined, now: number): Record<string, AttributeValue> {
  return {
    ':expected': { N: String(expectedVersion ?? -1) },
    ':none': { N: '-1' },
    ':now': { N: String(now) },
    ':owner': { S: owner ?? '' },
  };
}

export class DynamoDbStateStore implements StateStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
    private readonly clock: () => number = Date.now,
  ) {}

  async loadRegion(account: string, region: string): Promise<ClusterRecord[]> {
    const records: ClusterRecord[] = [];
    const pages = paginateQuery(
      { client: this.client },
      { TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk({ account, region }) }, ConsistentRead: true },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        const version = Number(item.version?.N ?? 0);
        if (!item.record?.S) {
          // Only a lease was ever taken (the first publish failed): an empty record at that version.
          records.push({ account, region, cluster: item.sk?.S ?? '', version, findings: {}, scanId: '', updatedAt: '' });
          continue;
        }
        const record = JSON.parse(item.record.S) as ClusterRecord;
        const snapshot = item.snapshot?.B ? (JSON.parse(gunzipSync(item.snapshot.B).toString('utf8')) as ClusterSnapshot) : undefined;
        records.push({ ...record, version, ...(snapshot ? { snapshot: storedSnapshot(snapshot) } : {}) });
      }
    }
    return records;
  }

  private async conditional<T>(key: ClusterKey, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException || (error as Error).name === 'ConditionalCheckFailedException') throw new StateConflictError(key);
      throw error;
    }
  }

  async acquireLease(key: ClusterKey, expectedVersion: number | undefined, owner: string, until: Date): Promise<number> {
    const version = (expectedVersion ?? 0) + 1;
    await this.conditional(key, () =>
      this.client.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: itemKey(key),
          UpdateExpression: 'SET #v = :version, leaseOwner = :owner, leaseUntil = :until',
          ConditionExpression: CONDITION,
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: {
            ...conditionValues(expectedVersion, undefined, this.clock()),
            ':owner': { S: owner },
            ':version': { N: String(version) },
            ':until': { N: String(until.getTime()) },
          },
        }),
      ),
    );
    return version;
  }

  async releaseLease(key: ClusterKey, owner: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: itemKey(key),
          UpdateExpression: 'REMOVE leaseOwner, leaseUntil',
          ConditionExpression: 'leaseOwner = :owner',
          ExpressionAttributeValues: { ':owner': { S: owner } },
        }),
      );
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  }

  async save(record: ClusterRecord, expectedVersion: number | undefined, leaseOwner?: string): Promise<void> {
    const { snapshot, version: _version, ...rest } = record;
    const item: Record<string, AttributeValue> = {
      ...itemKey(record),
      version: { N: String((expectedVersion ?? 0) + 1) },
      record: { S: JSON.stringify(rest) },
      updatedAt: { S: record.updatedAt },
    };
    if (snapshot) item.snapshot = { B: gzipSync(JSON.stringify(snapshot)) };
    if (record.deletedAt) item.expiresAt = { N: String(Math.floor(Date.parse(record.deletedAt) / 1000) + DELETED_RECORD_TTL_DAYS * 86_400) };
    await this.conditional(record, () =>
      this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: item,
          ConditionExpression: CONDITION,
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: conditionValues(expectedVersion, leaseOwner, this.clock()),
        }),
      ),
    );
  }

  async claim(scope: { account: string; region: string }, name: string, owner: string, until: Date): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: {
            pk: { S: `claim#${scope.account}#${scope.region}` },
            sk: { S: name },
            leaseOwner: { S: owner },
            leaseUntil: { N: String(until.getTime()) },
            // Claims clean themselves up.
            expiresAt: { N: String(Math.floor(until.getTime() / 1000) + 86_400) },
          },
          ConditionExpression: 'attribute_not_exists(leaseOwner) OR leaseUntil <= :now OR leaseOwner = :owner',
          ExpressionAttributeValues: { ':now': { N: String(this.clock()) }, ':owner': { S: owner } },
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async releaseClaim(scope: { account: string; region: string }, name: string, owner: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteItemCommand({
          TableName: this.table,
          Key: { pk: { S: `claim#${scope.account}#${scope.region}` }, sk: { S: name } },
          ConditionExpression: 'leaseOwner = :owner',
          ExpressionAttributeValues: { ':owner': { S: owner } },
        }),
      );
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  }
}
