import path from 'node:path';
import type { Plugin } from 'esbuild';

/**
 * Packages in every bundle (through the Powertools tracer) that import all of `semver` to call
 * only `semver.gte`: X-Ray's SDK v2 patcher, for `captureAWS`, which Prescale never calls (the
 * tracer wraps SDK v3 clients). test/infra/semver-gte-only.test.ts finds every semver importer the
 * tracer bundles and reads its source, so an upgrade that adds one or uses another member fails
 * there, not in a Lambda.
 */
export const SEMVER_GTE_IMPORTERS = ['aws-xray-sdk-core'] as const;

/** A module of one of those packages itself (not of a package nested in it). */
const IMPORTER = new RegExp(
  `[\\\\/]node_modules[\\\\/](?:${SEMVER_GTE_IMPORTERS.join('|')})[\\\\/](?!.*[\\\\/]node_modules[\\\\/])`,
);
const NAMESPACE = 'prescale-semver-gte';
const REPO_ROOT = path.resolve(__dirname, '..', '..');

/**
 * Gives those importers `{ gte }` from our own semver 7's `functions/gte` instead of the whole
 * package (its ranges, coercion and the rest: 21 KB of every minified bundle, 7 KB gzipped).
 */
export const semverGteOnly: Plugin = {
  name: 'prescale-semver-gte-only',
  setup(build) {
    build.onResolve({ filter: /^semver$/ }, (args) =>
      IMPORTER.test(args.importer) ? { path: 'semver', namespace: NAMESPACE } : undefined,
    );
    build.onLoad({ filter: /^semver$/, namespace: NAMESPACE }, () => ({
      contents: "module.exports = { gte: require('semver/functions/gte') };",
      loader: 'js',
      resolveDir: REPO_ROOT,
    }));
  },
};
