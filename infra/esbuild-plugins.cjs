/**
 * esbuild plugins for the Lambda bundles (serverless.yml `custom.esbuild.plugins`; serverless-esbuild
 * calls this module's function with the serverless instance, test/bench/lambda-bundle.ts without).
 *
 * - zod's classic API re-exports every locale (`z.locales`), about 260 KB of each minified bundle
 *   that the handlers never use: their messages are English. This keeps `en` only.
 * - The policy set is validated at build time: functions/policy-files/lambda-policy-set.ts becomes
 *   a module that reads `<function>.policy-set.json`, written beside the bundle (prebuild-policy-set.ts
 *   validated the YAML files, settings and exceptions with their file:line errors, and compiled
 *   every CEL expression). The bundles carry neither `yaml` nor the policy files' zod schemas.
 * - A dynamic `import('./x.js')` of the project's own code becomes a separate bundle,
 *   `<function>.x.cjs` beside the entry, loaded when the code runs: optional features (the HTML
 *   report and its bucket, Security Hub) cost nothing at a cold start that does not use them.
 *   (esbuild splits code only for ESM output; these bundles are CommonJS, see serverless.yml.) A
 *   chunk holds its own copy of what it imports, so what it needs from the main bundle's state
 *   (the SDK client configuration with the shared rate limiters) is passed in as arguments. A
 *   chunk the bundle does not reference after tree shaking is deleted, so it is not packaged.
 */
const { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { basename, dirname, extname, join, resolve } = require('node:path');
const { pathToFileURL } = require('node:url');

const ROOT = resolve(__dirname, '..');

const englishOnlyZodLocales = {
  name: 'zod-english-locale-only',
  setup(build) {
    // zod ships ESM (index.js) and CommonJS (index.cjs); the bundles take whichever `exports` picks.
    build.onResolve({ filter: /^\.\.\/locales\/index\.c?js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/](classic|core)$/.test(args.resolveDir)
        ? { path: join(args.resolveDir, '../locales', args.path.endsWith('.cjs') ? 'en.cjs' : 'en.js'), namespace: 'zod-locales' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: args.path.endsWith('.cjs') ? `exports.en = require(${JSON.stringify(args.path)});` : `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: dirname(args.path),
      loader: 'js',
    }));
  },
};

/** Where a build writes its entry: directory, base name (`scan` for functions/scan.cjs) and extension. */
function outputOf(options) {
  if (options.outfile) return { dir: dirname(options.outfile), name: basename(options.outfile, extname(options.outfile)), ext: extname(options.outfile) };
  const entry = [options.entryPoints].flat()[0];
  return { dir: options.outdir, name: basename(entry, extname(entry)), ext: options.outExtension?.['.js'] ?? '.js' };
}

/** The policy and settings files the deployment names (its environment), else serverless.yml's defaults. */
function policyFiles(serverless) {
  const environment = serverless?.service?.provider?.environment;
  const defaults = environment ? {} : require('yaml').parse(readFileSync(join(ROOT, 'serverless.yml'), 'utf8'), { logLevel: 'silent' }).params.default;
  const file = (value) => (typeof value === 'string' && value.trim() ? join(ROOT, value.trim()) : undefined);
  return {
    policyDir: join(ROOT, 'policies'),
    configFile: file(environment ? environment.EKSGUARD_CONFIG : defaults.config),
    exceptionsFile: file(environment ? environment.EKSGUARD_EXCEPTIONS : defaults.exceptions),
  };
}

let prebuilt;
/** Runs functions/policy-files/prebuild-policy-set.ts (bundled, its packages from node_modules) once per process. */
function prebuildPolicySet(esbuild, files) {
  prebuilt ??= (async () => {
    const outfile = join(ROOT, 'node_modules/.cache/eksguard-prebuild/prebuild-policy-set.mjs');
    await esbuild.build({
      entryPoints: [join(ROOT, 'functions/policy-files/prebuild-policy-set.ts')],
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      outfile,
      logLevel: 'error',
    });
    const { prebuildPolicySet: prebuild } = await import(`${pathToFileURL(outfile).href}?${Date.now()}`);
    try {
      return JSON.stringify(prebuild(files, ROOT));
    } catch (error) {
      const problems = error.errors ? error.errors.map((e) => e.message).join('\n') : error.message;
      throw new Error(`the policy files do not validate (npx eksguard policies check):\n${problems}`);
    }
  })();
  return prebuilt;
}

const prebuiltPolicies = (serverless) => ({
  name: 'prebuilt-policy-set',
  setup(build) {
    build.onLoad({ filter: /[\\/]functions[\\/]policy-files[\\/]lambda-policy-set\.ts$/ }, async (args) => {
      const { dir, name } = outputOf(build.initialOptions);
      const file = `${name}.policy-set.json`;
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, file), await prebuildPolicySet(build.esbuild, policyFiles(serverless)));
      return {
        contents: [
          "import { readFileSync } from 'node:fs';",
          "import { join } from 'node:path';",
          "import { policySetFrom } from './prebuilt-policy-set.js';",
          '// Validated at build time (infra/esbuild-plugins.cjs); read on first use, beside this bundle.',
          `export const lambdaPolicySet = (files, root) => policySetFrom(JSON.parse(readFileSync(join(__dirname, ${JSON.stringify(file)}), 'utf8')), files, root);`,
        ].join('\n'),
        resolveDir: dirname(args.path),
        loader: 'ts',
      };
    });
  },
});

const lazyChunks = (plugins, output) => ({
  name: 'lazy-chunks',
  setup(build) {
    const { dir, name, ext } = output ?? outputOf(build.initialOptions);
    const chunks = new Set();
    // A chunk that tree shaking left unreferenced (config-rule never writes a report) is not shipped.
    build.onEnd(() => {
      if (output) return;
      const texts = [`${name}${ext}`, ...chunks].filter((file) => existsSync(join(dir, file))).map((file) => readFileSync(join(dir, file), 'utf8'));
      for (const chunk of chunks) if (!texts.some((text) => text.includes(`./${chunk}`))) rmSync(join(dir, chunk), { force: true });
    });
    build.onResolve({ filter: /^\./ }, async (args) => {
      if (args.kind !== 'dynamic-import' || /[\\/]node_modules[\\/]/.test(args.importer)) return undefined;
      const target = await build.resolve(args.path, { kind: 'import-statement', resolveDir: args.resolveDir });
      if (target.errors.length) return { errors: target.errors };
      const file = `${name}.${basename(target.path, extname(target.path))}${ext}`;
      chunks.add(file);
      const { entryPoints: _entry, outdir: _outdir, outfile: _outfile, outExtension: _ext, metafile: _meta, ...options } = build.initialOptions;
      await build.esbuild.build({ ...options, entryPoints: [target.path], outfile: join(dir, file), plugins: [...plugins, lazyChunks(plugins, { dir, name, ext })] });
      return { path: `./${file}`, external: true };
    });
  },
});

module.exports = (serverless) => {
  const plugins = [englishOnlyZodLocales, prebuiltPolicies(serverless)];
  return [...plugins, lazyChunks(plugins)];
};
