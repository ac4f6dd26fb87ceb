import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { PRESCALE_BUNDLING } from '../../infra/constructs/prescale-function';

const REPO_ROOT = path.resolve(__dirname, '../..');

/** Every Lambda of the repo (a folder under `functions/` with a `handler.ts`). */
export function functionNames(root = REPO_ROOT): string[] {
  return readdirSync(path.join(root, 'functions'))
    .filter((name) => existsSync(path.join(root, 'functions', name, 'handler.ts')))
    .sort();
}

/** One function's Lambda bundle, built as `PrescaleFunction` builds it. */
export interface FunctionBundle {
  readonly name: string;
  readonly code: Uint8Array;
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly metafile: Metafile;
}

/**
 * Bundles `functions/<name>/handler.ts` with esbuild and the options of `PRESCALE_BUNDLING`
 * (what the CDK's NodejsFunction runs for `PrescaleFunction`), in memory.
 */
export async function bundleFunction(
  name: string,
  root = REPO_ROOT,
  /** esbuild's package.json fields, in order; default `PRESCALE_BUNDLING.mainFields`. */
  mainFields: readonly string[] = PRESCALE_BUNDLING.mainFields,
): Promise<FunctionBundle> {
  const result = await build({
    entryPoints: [path.join(root, 'functions', name, 'handler.ts')],
    bundle: true,
    platform: 'node',
    format: PRESCALE_BUNDLING.format === OutputFormat.ESM ? 'esm' : 'cjs',
    mainFields: [...mainFields],
    target: PRESCALE_BUNDLING.target,
    minify: PRESCALE_BUNDLING.minify,
    keepNames: PRESCALE_BUNDLING.keepNames,
    sourcemap: PRESCALE_BUNDLING.sourceMap,
    external: [...PRESCALE_BUNDLING.externalModules],
    metafile: true,
    write: false,
    outfile: path.join(root, 'cdk.out', 'bundle-check', name, 'index.js'),
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.contents;
  if (!code) throw new Error(`esbuild produced no output for functions/${name}/handler.ts`);
  return {
    name,
    code,
    bytes: code.byteLength,
    gzipBytes: gzipSync(code).byteLength,
    metafile: result.metafile,
  };
}

/** Bytes in the bundle per npm package (or `(repo)` for this repository's code), largest first. */
export function bytesByPackage(bundle: FunctionBundle): [string, number][] {
  const sizes = new Map<string, number>();
  for (const output of Object.values(bundle.metafile.outputs))
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const match = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
      const key = match?.[1] ?? '(repo)';
      sizes.set(key, (sizes.get(key) ?? 0) + bytesInOutput);
    }
  return [...sizes].sort((a, b) => b[1] - a[1]);
}
