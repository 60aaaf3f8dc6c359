/** A real DynamoDB-compatible server (dynalite, in memory) on loopback, with eksguard's state table. */
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { CreateTableCommand, DynamoDBClient, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { parse } from 'yaml';
import { PACKAGE_ROOT } from '../../functions/cli/paths.js';

export interface LocalDynamo {
  endpoint: string;
  client: DynamoDBClient;
  /** Creates a fresh table from infra/state-table.yml and returns its name. */
  createStateTable(): Promise<string>;
  close(): Promise<void>;
}

let tables = 0;

export async function startDynalite(port = 0): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' } });
  const definition = (parse(readFileSync(`${PACKAGE_ROOT}/infra/state-table.yml`, 'utf8')) as { Resources: { StateTable: { Properties: CreateTableCommandInput } } }).Resources
    .StateTable.Properties;
  return {
    endpoint,
    client,
    async createStateTable() {
      const TableName = `eksguard-state-${++tables}`;
      await client.send(
        new CreateTableCommand({ TableName, AttributeDefinitions: definition.AttributeDefinitions, KeySchema: definition.KeySchema, BillingMode: definition.BillingMode }),
      );
      return TableName;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
