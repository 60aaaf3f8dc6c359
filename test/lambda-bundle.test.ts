/**
 * What the Lambda bundles load at a cold start (serverless.yml's esbuild options, as
 * test/bench/lambda-bundle.ts builds them): no YAML parser, no zod, no file locking, and the
 * optional features' SDK clients and renderer only in chunks of their own. `npm run bench:coldstart`
 * measures what that buys; this keeps it from coming back unnoticed.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../functions/cli/paths.js';
import { lambdaBuildOptions } from './bench/lambda-bundle.js';

const outDir = mkdtempSync(join(tmpdir(), 'eksguard-lambda-bundle-'));
const packagesIn = async (fn: string) => {
  const { metafile } = await build({ ...lambdaBuildOptions(), entryPoints: [join(PACKAGE_ROOT, `functions/${fn}.ts`)], outfile: join(outDir, `${fn}.cjs`), metafile: true });
  const main = metafile.outputs[Object.keys(metafile.outputs).find((file) => file.endsWith(`${fn}.cjs`))!]!;
  return new Set(Object.keys(main.inputs).flatMap((input) => /node_modules\/((@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? []));
};

describe('the Lambda bundles', () => {
  it.each(['scan', 'config-rule'])(
    '%s loads no yaml, zod or file locking at a cold start',
    async (fn) => {
      const packages = await packagesIn(fn);
      expect(packages).toContain('@aws-sdk/client-eks');
      expect(packages).toContain('@marcbachmann/cel-js');
      for (const absent of ['yaml', 'zod', 'proper-lockfile', '@aws-sdk/client-s3', '@aws-sdk/client-securityhub', 'preact']) expect(packages).not.toContain(absent);
    },
    60_000,
  );
});
