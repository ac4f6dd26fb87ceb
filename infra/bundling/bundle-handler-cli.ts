/**
 * `bundleHandler` as a command, for CDK's synchronous local bundling (esbuild runs plugins only
 * in its asynchronous API): `node --import tsx infra/bundling/bundle-handler-cli.ts ENTRY OUTDIR`.
 */
import { bundleHandler } from './esbuild-options';

const [entry, outputDir] = process.argv.slice(2);
if (!entry || !outputDir) {
  console.error('Usage: bundle-handler-cli.ts ENTRY OUTPUT_DIR');
  process.exit(2);
}
bundleHandler(entry, outputDir).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
