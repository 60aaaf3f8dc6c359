import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { PolicyDocument } from '../core/policy/policy-schema.js';
import { EXIT } from '../core/report/report.js';
import { ClusterSnapshot } from '../core/snapshot/schema.js';
import { UsageError, type Io } from './args.js';
import { PACKAGE_ROOT } from './paths.js';

export const JSON_SCHEMAS = {
  snapshot: { file: 'functions/core/snapshot/snapshot.schema.json', build: () => z.toJSONSchema(ClusterSnapshot) },
  policy: { file: 'policies/policy.schema.json', build: () => z.toJSONSchema(PolicyDocument, { io: 'input' }) },
} as const;

export const renderSchema = (name: keyof typeof JSON_SCHEMAS): string => `${JSON.stringify(JSON_SCHEMAS[name].build(), null, 2)}\n`;

/** `eksguard schema snapshot|policy` prints one; `eksguard schema --write` regenerates the committed files. */
export function runSchemaCommand(args: string[], io: Io): number {
  if (args[0] === '--write') {
    for (const name of Object.keys(JSON_SCHEMAS) as (keyof typeof JSON_SCHEMAS)[]) {
      writeFileSync(join(PACKAGE_ROOT, JSON_SCHEMAS[name].file), renderSchema(name));
      io.stderr(`wrote ${JSON_SCHEMAS[name].file}\n`);
    }
    return EXIT.ok;
  }
  const name = args[0];
  if (name !== 'snapshot' && name !== 'policy') throw new UsageError('schema takes "snapshot", "policy" or --write');
  io.stdout(renderSchema(name));
  return EXIT.ok;
}
