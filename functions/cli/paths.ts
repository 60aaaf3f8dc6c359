import { fileURLToPath } from 'node:url';

/** The shipped policies/ directory, wherever the CLI is run from. */
export const DEFAULT_POLICY_DIR = fileURLToPath(new URL('../../policies', import.meta.url));
