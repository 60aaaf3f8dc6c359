/** `eksguard schema snapshot|policy` prints one; `eksguard schema --write` regenerates the committed files (schema-files.ts). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Argument, Command, Option } from 'commander';
import { EXIT } from '../core/report/report.js';
import { runAction, UsageError, type Io } from './args.js';
import { PACKAGE_ROOT } from './paths.js';

export const SCHEMA_NAMES = ['snapshot', 'policy'] as const;
export type SchemaName = (typeof SCHEMA_NAMES)[number];

export function schemaCommand(io: Io, setCode: (code: number) => void): Command {
  const command = new Command('schema')
    .summary('print or regenerate the JSON Schemas (snapshot, policy file)')
    .description(
      'Print the JSON Schema of the cluster snapshot the policies read, or of a policy file; with --write regenerate the committed files (functions/core/snapshot/snapshot.schema.json, policies/policy.schema.json).',
    )
    .addArgument(new Argument('[name]', 'which schema to print').choices(SCHEMA_NAMES))
    .addOption(new Option('--write', 'regenerate every committed schema file (what `npm run schema` runs)'))
    .addHelpText('after', '\nExamples:\n  eksguard schema snapshot > snapshot.schema.json\n  eksguard schema --write');
  runAction<{ write?: boolean }>(
    command,
    async ({ write = false }, cmd) => {
      const name = cmd.args[0] as SchemaName | undefined;
      if (write === (name !== undefined))
        throw new UsageError(write ? '--write regenerates every schema: leave out the name' : `name a schema (${SCHEMA_NAMES.join(' or ')}) or pass --write`);
      const { JSON_SCHEMAS, renderSchema } = await import('./schema-files.js');
      if (name) {
        io.stdout(renderSchema(name));
        return EXIT.ok;
      }
      for (const each of SCHEMA_NAMES) {
        writeFileSync(join(PACKAGE_ROOT, JSON_SCHEMAS[each].file), renderSchema(each));
        io.stderr(`wrote ${JSON_SCHEMAS[each].file}\n`);
      }
      return EXIT.ok;
    },
    setCode,
  );
  return command;
}
