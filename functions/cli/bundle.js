/**
 * The CLI runs as an esbuild bundle (dist/eksguard.mjs and its chunks), not through a TypeScript
 * loader. Chunks split at the commands' dynamic imports, so `--help` loads commander and not the
 * AWS SDK. The bin builds the bundle when it is missing or older than
 * the sources, so `npx eksguard` works straight after `npm ci` in a fresh clone without any
 * install script (npm 11 asks before running those). Plain JavaScript: it runs before any build.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT_DIR = join(ROOT, 'dist');
export const BUNDLE = join(OUT_DIR, 'eksguard.mjs');
const ENTRY = join(ROOT, 'functions', 'cli', 'run.ts');
/** What the bundle is made of: the sources, and the dependencies the lockfile pins. */
const INPUTS = [join(ROOT, 'functions'), join(ROOT, 'package-lock.json')];

function newestChange(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestChange(join(path, entry)));
  return newest;
}

export function bundleIsFresh() {
  if (!existsSync(BUNDLE)) return false;
  const built = statSync(BUNDLE).mtimeMs;
  return INPUTS.every((input) => !existsSync(input) || newestChange(input) <= built);
}

/** Builds the bundle with esbuild (a devDependency); written beside and renamed, so concurrent builds never leave half a file. */
export async function buildBundle() {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    throw new Error(
      `eksguard: the CLI bundle ${BUNDLE} is missing or older than the sources, and esbuild (a dev dependency) is not installed: run \`npm ci\` (with the dev dependencies), then \`npm run build\``,
    );
  }
  const result = await esbuild.build({
    entryPoints: { eksguard: ENTRY },
    outdir: OUT_DIR,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    splitting: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: true,
    sourcemap: true,
    write: false,
    logLevel: 'warning',
    // ESM output: bundled CommonJS dependencies (the AWS SDK) still call require().
    banner: { js: "import { createRequire as __eksguardCreateRequire } from 'module'; const require = __eksguardCreateRequire(import.meta.url);" },
  });
  const suffix = `.${process.pid}.tmp`;
  // Chunks (named by their hash) first: the entry is what marks the build as done.
  for (const file of [...result.outputFiles].sort((a) => (a.path === BUNDLE ? 1 : a.path === `${BUNDLE}.map` ? 0 : -1))) {
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path + suffix, file.contents);
    renameSync(file.path + suffix, file.path);
  }
  removeOldChunks(new Set(result.outputFiles.map((f) => f.path)));
  return BUNDLE;
}

/** Chunks of earlier builds, once no process started before this build can still be loading them. */
function removeOldChunks(current) {
  const dir = join(OUT_DIR, 'chunks');
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    const file = join(dir, name);
    if (!current.has(file) && Date.now() - statSync(file).mtimeMs > 10 * 60_000) rmSync(file, { force: true });
  }
}

export async function ensureBundle() {
  return bundleIsFresh() ? BUNDLE : buildBundle();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildBundle();
  process.stderr.write(`built ${BUNDLE}\n`);
}
