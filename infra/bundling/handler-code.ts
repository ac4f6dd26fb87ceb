import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { AssetHashType, type ILocalBundling } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const BUNDLE_CLI = path.join(__dirname, 'bundle-handler-cli.ts');

/**
 * Runs `bundleHandler` for one entry in a child process: the CDK bundles synchronously, and esbuild
 * runs plugins only in its asynchronous API. `entry` is a field, not only a closure: the CDK caches
 * staged assets by the JSON of their bundling options, so two handlers must not serialize alike.
 */
class PrescaleLocalBundling implements ILocalBundling {
  constructor(
    /** The handler, relative to the repository root. */
    readonly entry: string,
  ) {}

  tryBundle(outputDir: string): boolean {
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', BUNDLE_CLI, path.join(REPO_ROOT, this.entry), outputDir],
      {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'inherit', 'pipe'],
      },
    );
    if (run.status !== 0) throw new Error(`Bundling ${this.entry} failed: ${run.stderr || run.error}`);
    return true;
  }
}

/**
 * The Lambda code of one handler (`entry`, relative to the repository root): bundled at synth time
 * by `bundleHandler` (esbuild with `PRESCALE_ESBUILD_OPTIONS` and its plugins, which the CDK's
 * NodejsFunction cannot run) into `index.js`, so the handler is `index.handler`. The asset hash is
 * the bundle's, as NodejsFunction's; with bundling skipped (`aws:cdk:bundling-stacks`) nothing runs.
 * Throws esbuild's message when bundling fails.
 */
export function handlerCode(entry: string): lambda.Code {
  return lambda.Code.fromAsset(REPO_ROOT, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Required by the CDK, never used: local bundling always runs (esbuild and tsx are dev
      // dependencies, present wherever `cdk synth` runs).
      image: lambda.Runtime.NODEJS_24_X.bundlingImage,
      local: new PrescaleLocalBundling(entry),
    },
  });
}
