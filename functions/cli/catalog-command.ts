/** `eksguard policies catalog [--write]`: options and help; the catalog is rendered by catalog.ts. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Command, Option } from 'commander';
import { EXIT } from '../core/report/report.js';
import { runAction, type Io } from './args.js';
import { DEFAULT_POLICY_DIR, PACKAGE_ROOT } from './paths.js';

export const CATALOG_FILE = join(DEFAULT_POLICY_DIR, 'README.md');
export const CATALOG_COMMAND = 'npm run catalog';

/** `eksguard policies catalog [--write]`. */
export function catalogCommand(io: Io, setCode: (code: number) => void): Command {
  const command = new Command('catalog')
    .summary('print the policy catalog, or rewrite it in policies/README.md')
    .description(
      `Print the catalog of the shipped policies (Markdown, generated from the policy files), or with --write replace the generated part of ${relative(PACKAGE_ROOT, CATALOG_FILE)}. A test fails when that part is stale.`,
    )
    .addOption(new Option('--write', `rewrite the catalog in ${relative(PACKAGE_ROOT, CATALOG_FILE)} (what \`${CATALOG_COMMAND}\` runs)`))
    .addHelpText('after', `\nExamples:\n  eksguard policies catalog | less\n  ${CATALOG_COMMAND}`);
  runAction<{ write?: boolean }>(
    command,
    async ({ write }) => {
      const { catalogOfShippedPolicies, withCatalog } = await import('./catalog.js');
      const catalog = catalogOfShippedPolicies();
      if (!write) {
        io.stdout(catalog);
        return EXIT.ok;
      }
      writeFileSync(CATALOG_FILE, withCatalog(readFileSync(CATALOG_FILE, 'utf8'), catalog));
      io.stderr(`wrote the catalog in ${CATALOG_FILE}\n`);
      return EXIT.ok;
    },
    setCode,
  );
  return command;
}
