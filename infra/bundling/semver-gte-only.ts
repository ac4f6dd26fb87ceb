import path from 'node:path';
import type { Plugin } from 'esbuild';

/**
 * Packages in every bundle (through the Powertools tracer) that import all of `semver` to call
 * only `semver.gte`: X-Ray's SDK v2 patcher (`captureAWS`, which Prescale never calls) and
 * cls-hooked's check of the Node.js version at load. test/infra/semver-gte-only.test.ts reads
 * their sources, so an upgrade that uses another member fails there, not in a Lambda.
 */
export const SEMVER_GTE_IMPORTERS = ['aws-xray-sdk-core', 'cls-hooked'] as const;

const IMPORTER = new RegExp(`[\\\\/]node_modules[\\\\/](?:${SEMVER_GTE_IMPORTERS.join('|')})[\\\\/]`);
const NAMESPACE = 'prescale-semver-gte';
const REPO_ROOT = path.resolve(__dirname, '..', '..');

/**
 * Gives those importers `{ gte }` from semver 7's own `functions/gte` instead of the whole package
 * (its ranges, coercion and both majors' copies: ~31 KB of every bundle). semver 7 resolves from
 * aws-xray-sdk-core, which depends on it; cls-hooked's semver 5 has the same `gte` on plain versions.
 */
export const semverGteOnly: Plugin = {
  name: 'prescale-semver-gte-only',
  setup(build) {
    build.onResolve({ filter: /^semver$/ }, (args) =>
      IMPORTER.test(args.importer) ? { path: 'semver', namespace: NAMESPACE } : undefined,
    );
    build.onLoad({ filter: /^semver$/, namespace: NAMESPACE }, async () => {
      const xray = await build.resolve('aws-xray-sdk-core/package.json', {
        kind: 'require-call',
        resolveDir: REPO_ROOT,
      });
      return {
        contents: "module.exports = { gte: require('semver/functions/gte') };",
        loader: 'js',
        resolveDir: path.dirname(xray.path),
      };
    });
  },
};
