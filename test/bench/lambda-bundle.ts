/**
 * Builds a file the way serverless-esbuild builds the Lambda bundles (serverless.yml
 * `custom.esbuild`: bundled, minified, CommonJS), for the benchmarks that measure the bundle
 * rather than tsx: peak RSS of a scan and import+init time at cold start.
 */
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import { parse } from 'yaml';
import { PACKAGE_ROOT } from '../../functions/cli/paths.js';

/** The esbuild options of serverless.yml, as serverless-esbuild passes them on. */
export function lambdaBuildOptions(): BuildOptions {
  const custom = (parse(readFileSync(join(PACKAGE_ROOT, 'serverless.yml'), 'utf8'), { logLevel: 'silent' }) as { custom: { esbuild: Record<string, unknown> } }).custom.esbuild;
  const { bundle, minify, minifyWhitespace, minifySyntax, minifyIdentifiers, keepNames, sourcemap, platform, format, mainFields } = custom as BuildOptions;
  // serverless-esbuild calls a plugins module that exports a function with the serverless instance.
  const loaded =
    typeof custom.plugins === 'string' ? (createRequire(import.meta.url)(join(PACKAGE_ROOT, custom.plugins)) as BuildOptions['plugins'] | (() => BuildOptions['plugins'])) : [];
  const plugins = typeof loaded === 'function' ? loaded() : loaded;
  return {
    plugins,
    bundle,
    minify,
    ...(minifyWhitespace !== undefined ? { minifyWhitespace } : {}),
    ...(minifySyntax !== undefined ? { minifySyntax } : {}),
    ...(minifyIdentifiers !== undefined ? { minifyIdentifiers } : {}),
    ...(keepNames !== undefined ? { keepNames } : {}),
    sourcemap,
    platform,
    format,
    mainFields,
    // The Lambda runtime is Node 22; this machine may run Node 20.
    target: 'node20',
    logLevel: 'error',
  };
}

export interface BuiltBundle {
  file: string;
  bytes: number;
  mapBytes: number;
}

export async function buildLambdaBundle(entry: string, outDir: string, name: string): Promise<BuiltBundle> {
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `${name}.cjs`);
  await build({ ...lambdaBuildOptions(), entryPoints: [entry], outfile: file });
  const size = (path: string) => {
    try {
      return statSync(path).size;
    } catch {
      return 0;
    }
  };
  return { file, bytes: size(file), mapBytes: size(`${file}.map`) };
}
