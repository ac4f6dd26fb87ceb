import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';
import hotIntrinsics from './hot-intrinsics.json';
import { type BareResolution, copyKeptBundles, keepBundles } from './kept-bundles';

/** Paths of the bundled handlers, ready to `require`. */
export interface HandlerBundles {
  readonly dispatchScalingRun: string;
  readonly scaleGroups: string;
}

const REPO_ROOT = path.resolve(__dirname, '../../..');

/**
 * Modules the simulation must share with the handlers (one instance, so its overrides reach
 * them and it reads their state): the clients' transport override, the runtime clock, the warm
 * container's forecast cache (its hit counts go in the run's notes) and its history store
 * (cleared for each new world).
 */
const SHARED_MODULES = [
  'shared/aws/aws-transport.ts',
  'shared/aws/runtime-clock.ts',
  'shared/usecases/warm-forecast-demand.ts',
  'shared/usecases/warm-metric-history.ts',
].map((p) => path.join(REPO_ROOT, p));

function resolveSource(base: string): string | undefined {
  for (const candidate of [base, `${base}.ts`, path.join(base, 'index.ts')])
    if (existsSync(candidate) && !candidate.endsWith('/')) return candidate;
  return undefined;
}

const declaredSideEffects = new Map<string, boolean>();

/**
 * Built-ins the handlers read in their hot loops. Jest runs the bundles in a `vm` context, whose
 * global object answers every global lookup through an interceptor: `Number.isFinite(x)` there
 * costs ~165 ns against ~2 ns in Node's own context (measured: 4 million calls, 660 ms against
 * 7 ms through a local reference), so the scaling worker spent most of a test's time finding
 * `Math` and `Number`. Each bundle reads them once into module constants instead (esbuild's
 * `define` renames only free references, so a handler's own variables are untouched): the same
 * objects, so nothing changes but the lookup. `Date` and the timers stay global, where a test's
 * fake clock would replace them. The list is shared with the Jest transform that does the same for
 * the repo's own modules (`test/helpers/local-intrinsics-transform.js`).
 */
const HOT_INTRINSICS: readonly string[] = hotIntrinsics;

/** This process's bundle directories, removed when it exits (each `npm start` made its own). */
const bundleDirs: string[] = [];

function removeBundleDirsAtExit(outdir: string): void {
  if (bundleDirs.length === 0) {
    // Not before: the handlers are required from these files whenever a world starts cold.
    process.once('exit', () => {
      for (const dir of bundleDirs) rmSync(dir, { recursive: true, force: true });
    });
  }
  bundleDirs.push(outdir);
}

/**
 * Whether the package a bare import names declares side effects (its package.json's
 * `sideEffects`, true unless `false`): found from the file it resolved to, up to the package root.
 */
function hasSideEffects(specifier: string, resolvedPath: string): boolean {
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
  const known = declaredSideEffects.get(name);
  if (known !== undefined) return known;
  let declared = true;
  for (let dir = path.dirname(resolvedPath); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; sideEffects?: unknown };
    if (pkg.name !== name) continue;
    declared = pkg.sideEffects !== false;
    break;
  }
  declaredSideEffects.set(name, declared);
  return declared;
}

/**
 * Where this process's `require` finds a bare import from `resolveDir`, or null when it cannot
 * (an ESM-only package, which is then bundled). Jest's resolver and Node's differ (Jest maps
 * middy's ESM-only packages to files it transforms), so a bundle is this process's own.
 */
function resolveBare(specifier: string, resolveDir: string): string | null {
  try {
    return require.resolve(specifier, { paths: [resolveDir] });
  } catch {
    return null;
  }
}

/** Bundles the scaling loop's two handlers (see `bundleFunctions`). */
export async function bundleHandlers(): Promise<HandlerBundles> {
  const bundles = await bundleFunctions(['dispatch-scaling-run', 'scale-groups']);
  return {
    dispatchScalingRun: bundles['dispatch-scaling-run'] as string,
    scaleGroups: bundles['scale-groups'] as string,
  };
}

/**
 * Bundles `functions/<name>/handler.ts` for each name to
 * CommonJS with esbuild, as the CDK's NodejsFunction does for Lambda (infra/constructs/
 * prescale-function.ts), into a temporary directory. Packages that CommonJS can load stay
 * external (resolved to absolute paths from the repo), ESM-only ones (middy 7) are bundled, and
 * `SHARED_MODULES` stay external so the simulation's overrides and the handlers use one instance.
 * An external package that declares no side effects is dropped where the handler does not use
 * it, as esbuild drops it from the Lambda bundle (the SDK clients a handler's factories never
 * make are not loaded). The handler code itself is unchanged. The directory is removed when the
 * process exits. In a Jest run, a function bundled once is copied in (`copyKeptBundles`).
 */
export async function bundleFunctions(names: readonly string[]): Promise<Record<string, string>> {
  const outdir = mkdtempSync(path.join(tmpdir(), 'prescale-simulation-'));
  removeBundleDirsAtExit(outdir);
  const paths = Object.fromEntries(names.map((name) => [name, path.join(outdir, `${name}.js`)]));
  const copied = new Set(copyKeptBundles(names, outdir, resolveBare));
  const toBundle = names.filter((name) => !copied.has(name));
  if (toBundle.length === 0) return paths;
  const resolutions: BareResolution[] = [];
  const externalize: Plugin = {
    name: 'prescale-simulation-externals',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        const bare = !args.path.startsWith('.') && !path.isAbsolute(args.path);
        if (bare) {
          const resolved = resolveBare(args.path, args.resolveDir);
          resolutions.push({ specifier: args.path, resolveDir: args.resolveDir, resolved });
          // Not loadable by require (ESM-only exports): bundle it.
          if (resolved === null) return undefined;
          return { path: resolved, external: true, sideEffects: hasSideEffects(args.path, resolved) };
        }
        const source = resolveSource(path.resolve(args.resolveDir, args.path));
        if (source && SHARED_MODULES.includes(source)) return { path: source, external: true };
        return undefined;
      });
    },
  };
  await build({
    entryPoints: Object.fromEntries(
      toBundle.map((name) => [name, path.join(REPO_ROOT, `functions/${name}/handler.ts`)]),
    ),
    outdir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    keepNames: true,
    logLevel: 'silent',
    plugins: [externalize],
    define: Object.fromEntries(HOT_INTRINSICS.map((name) => [name, `__intrinsic_${name}`])),
    banner: {
      js: HOT_INTRINSICS.map((name) => `const __intrinsic_${name} = globalThis.${name};`).join('\n'),
    },
  });
  keepBundles(toBundle, outdir, resolutions);
  return paths;
}
