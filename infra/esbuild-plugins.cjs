/**
 * esbuild plugins for the Lambda bundles (serverless.yml `custom.esbuild.plugins`).
 *
 * zod's classic API re-exports every locale (`z.locales`), about 260 KB of each minified bundle
 * that the handlers never use: their messages are English. This keeps `en` only.
 */
const { dirname, join } = require('node:path');

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

module.exports = [englishOnlyZodLocales];
