import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type BuildOptions, build } from 'esbuild';
import { semverGteOnly } from './semver-gte-only';
import { shakeableSources } from './shakeable-sources';

/**
 * The esbuild options of every Prescale Lambda: `PrescaleFunction` bundles with them, and so do the
 * bundle-size test and `npm run bench:bundles`.
 */
export const PRESCALE_ESBUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  // The Lambda runtime of `PrescaleFunction` (Node.js 24).
  target: 'node24',
  // The SDK's ES module builds first: esbuild can then drop the commands and schemas a function
  // never calls (the CommonJS builds are one file per client, bundled whole).
  mainFields: ['module', 'main'],
  minify: true,
  // Error names survive minifying: Step Functions matches `ErrorEquals` on them.
  keepNames: true,
  // No source maps: they triple the bundle and slow cold starts; keepNames keeps stacks readable.
  sourcemap: false,
  // The runtime ships an AWS SDK v3, but bundling our own keeps behaviour equal to what the tests ran.
  external: [],
  plugins: [shakeableSources, semverGteOnly],
  logLevel: 'silent',
} as const satisfies BuildOptions;

/**
 * Bundles one handler (`entry`, an absolute path) to `<outputDir>/index.js` with
 * `PRESCALE_ESBUILD_OPTIONS`, as Lambda loads it (`index.handler`). Throws esbuild's errors.
 */
export async function bundleHandler(entry: string, outputDir: string): Promise<void> {
  mkdirSync(outputDir, { recursive: true });
  await build({
    ...PRESCALE_ESBUILD_OPTIONS,
    plugins: [...PRESCALE_ESBUILD_OPTIONS.plugins],
    external: [...PRESCALE_ESBUILD_OPTIONS.external],
    mainFields: [...PRESCALE_ESBUILD_OPTIONS.mainFields],
    entryPoints: [entry],
    outfile: path.join(outputDir, 'index.js'),
  });
}
