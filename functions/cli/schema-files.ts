/** The published JSON Schemas, derived from the zod types: the snapshot the policies read, and a policy file. */
import { z } from 'zod';
import { PolicyDocument } from '../core/policy/policy-schema.js';
import { ClusterSnapshot } from '../core/snapshot/schema.js';
import type { SchemaName } from './schema-command.js';

export const JSON_SCHEMAS: Record<SchemaName, { file: string; build: () => unknown }> = {
  snapshot: { file: 'functions/core/snapshot/snapshot.schema.json', build: () => z.toJSONSchema(ClusterSnapshot) },
  policy: { file: 'policies/policy.schema.json', build: () => z.toJSONSchema(PolicyDocument, { io: 'input' }) },
};

export const renderSchema = (name: SchemaName): string => `${JSON.stringify(JSON_SCHEMAS[name].build(), null, 2)}\n`;
