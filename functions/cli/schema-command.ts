import { z } from 'zod';
import { PolicyDocument } from '../core/policy/policy-schema.js';
import { EXIT } from '../core/report/report.js';
import { ClusterSnapshot } from '../core/snapshot/schema.js';
import { UsageError, type Io } from './args.js';

export const JSON_SCHEMAS = {
  snapshot: () => z.toJSONSchema(ClusterSnapshot),
  policy: () => z.toJSONSchema(PolicyDocument, { io: 'input' }),
} as const;

export function runSchemaCommand(args: string[], io: Io): number {
  const name = args[0];
  if (name !== 'snapshot' && name !== 'policy') throw new UsageError('schema takes "snapshot" or "policy"');
  io.stdout(`${JSON.stringify(JSON_SCHEMAS[name](), null, 2)}\n`);
  return EXIT.ok;
}
