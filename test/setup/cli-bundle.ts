/** Vitest global setup: the end-to-end tests run the real bin, which runs the built bundle; build it once, up front. */
import { ensureBundle } from '../../functions/cli/bundle.js';

export default async function setup(): Promise<void> {
  await ensureBundle();
}
