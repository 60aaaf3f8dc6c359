#!/usr/bin/env node
// The eksguard bin: runs the built CLI bundle, building it first when it is missing or stale.
import { pathToFileURL } from 'node:url';
import { ensureBundle } from './bundle.js';

let bundle;
try {
  bundle = await ensureBundle();
} catch (error) {
  process.stderr.write(`${error.message}\n`);
  process.exit(70);
}
await import(pathToFileURL(bundle).href);
