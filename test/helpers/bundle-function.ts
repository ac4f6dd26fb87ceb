import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { PRESCALE_ESBUILD_OPTIONS } from '../../infra/bundling/esbuild-options';

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
  /** Bytes in the output per input file (esbuild's metafile). */
  readonly inputs: Readonly<Record<string, number>>;
}

/** How to bundle: as `PrescaleFunction` does now, or as it did before its esbuild plugins. */
export type BundleBuild = 'prescale' | 'without-plugins';

/**
 * Bundles `functions/<name>/handler.ts` for each name with `PRESCALE_ESBUILD_OPTIONS` (what
 * `PrescaleFunction` bundles with), in memory, in one esbuild run (the packages are parsed once for
 * every function). `'without-plugins'` leaves out the plugins (the build before they were added,
 * for a baseline checkout in the bundles benchmark).
 */
export async function bundleFunctions(
  names: readonly string[],
  root = REPO_ROOT,
  how: BundleBuild = 'prescale',
): Promise<Map<string, FunctionBundle>> {
  const outdir = path.join(root, 'cdk.out', 'bundle-check');
  const result = await build({
    ...PRESCALE_ESBUILD_OPTIONS,
    mainFields: [...PRESCALE_ESBUILD_OPTIONS.mainFields],
    external: [...PRESCALE_ESBUILD_OPTIONS.external],
    plugins: how === 'prescale' ? [...PRESCALE_ESBUILD_OPTIONS.plugins] : [],
    entryPoints: Object.fromEntries(
      names.map((name) => [name, path.join(root, 'functions', name, 'handler.ts')]),
    ),
    metafile: true,
    write: false,
    outdir,
  });
  const bundles = new Map<string, FunctionBundle>();
  for (const name of names) {
    const file = path.join(outdir, `${name}.js`);
    const code = result.outputFiles.find((f) => f.path === file)?.contents;
    const meta = Object.entries(result.metafile.outputs).find(([out]) => path.resolve(root, out) === file);
    if (!code || !meta) throw new Error(`esbuild produced no output for functions/${name}/handler.ts`);
    bundles.set(name, {
      name,
      code,
      bytes: code.byteLength,
      gzipBytes: gzipSync(code).byteLength,
      inputs: Object.fromEntries(Object.entries(meta[1].inputs).map(([k, v]) => [k, v.bytesInOutput])),
    });
  }
  return bundles;
}

/** One function's bundle (see `bundleFunctions`). */
export async function bundleFunction(
  name: string,
  root = REPO_ROOT,
  how: BundleBuild = 'prescale',
): Promise<FunctionBundle> {
  return (await bundleFunctions([name], root, how)).get(name) as FunctionBundle;
}

/** Bytes in the bundle per npm package (or `(repo)` for this repository's code), largest first. */
export function bytesByPackage(bundle: FunctionBundle): [string, number][] {
  const sizes = new Map<string, number>();
  for (const [input, bytes] of Object.entries(bundle.inputs)) {
    const match = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
    const key = match?.[1] ?? '(repo)';
    sizes.set(key, (sizes.get(key) ?? 0) + bytes);
  }
  return [...sizes].sort((a, b) => b[1] - a[1]);
}
