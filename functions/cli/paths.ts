import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The eksguard package root: the nearest parent with eksguard's package.json (source, build or bundle). */
function packageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'eksguard') return dir;
    if (dirname(dir) === dir) throw new Error(`cannot find the eksguard package above ${start}`);
  }
}

export const PACKAGE_ROOT = packageRoot(dirname(fileURLToPath(import.meta.url)));

/** The shipped policies/ directory, wherever the CLI is run from. */
export const DEFAULT_POLICY_DIR = join(PACKAGE_ROOT, 'policies');

/** The version in eksguard's package.json (`eksguard --version`). */
export const PACKAGE_VERSION: string = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
