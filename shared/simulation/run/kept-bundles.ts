import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';

/**
 * The Jest run's temp root (test/helpers/test-temp-root.ts sets it in the run's global setup):
 * new each run and removed when it ends. Named here, not imported: shared/ never imports test/.
 */
const RUN_ROOT_ENV = 'PRESCALE_TEST_TMPDIR';
const RESOLUTIONS = 'resolutions.json';

/** How the bundling process resolved one bare import: a file, or null where it bundled the package. */
export interface BareResolution {
  readonly specifier: string;
  readonly resolveDir: string;
  readonly resolved: string | null;
}

/** Where the bundles of `names` are kept for this run, or undefined outside a Jest run. */
function keptDir(names: readonly string[]): string | undefined {
  const root = process.env[RUN_ROOT_ENV];
  if (!root) return undefined;
  const key = createHash('sha256').update(JSON.stringify(names)).digest('hex');
  return path.join(root, 'simulation-bundles', key);
}

/**
 * Copies the bundles of `names` kept earlier in this Jest run into `outdir`; false when none are
 * kept (or outside a Jest run), or when `resolve` (this process's resolver) would not resolve
 * every bare import as the process that made them did: a Jest worker's resolver is not a child
 * process's. A Jest run bundles the same handlers ~50 times across its files (each
 * `PrescaleLambdas.start`, `invokeLambda`, campaign handler), each ~250 ms of CPU (esbuild's
 * process and the resolver here, 2026-12-08); one run's sources never change and its root is new,
 * so a kept bundle is the one esbuild would write again.
 */
export function copyKeptBundles(
  names: readonly string[],
  outdir: string,
  resolve: (specifier: string, resolveDir: string) => string | null,
): boolean {
  const dir = keptDir(names);
  if (!dir || !existsSync(dir)) return false;
  const resolutions = JSON.parse(readFileSync(path.join(dir, RESOLUTIONS), 'utf8')) as BareResolution[];
  if (!resolutions.every((r) => resolve(r.specifier, r.resolveDir) === r.resolved)) return false;
  for (const name of names) copyFileSync(path.join(dir, `${name}.js`), path.join(outdir, `${name}.js`));
  return true;
}

/** Keeps the bundles of `names` just written to `outdir`, and how they resolved, for the rest of this Jest run. */
export function keepBundles(
  names: readonly string[],
  outdir: string,
  resolutions: readonly BareResolution[],
): void {
  const dir = keptDir(names);
  if (!dir || existsSync(dir)) return;
  mkdirSync(path.dirname(dir), { recursive: true });
  // Written aside, then renamed: a worker reading at the same time sees all of it or none.
  const partial = mkdtempSync(`${dir}.partial-`);
  for (const name of names) copyFileSync(path.join(outdir, `${name}.js`), path.join(partial, `${name}.js`));
  const distinct = new Map(resolutions.map((r) => [`${r.resolveDir}\0${r.specifier}`, r]));
  writeFileSync(path.join(partial, RESOLUTIONS), JSON.stringify([...distinct.values()]));
  try {
    renameSync(partial, dir);
  } catch {
    // Another worker kept the same bundles first.
    rmSync(partial, { recursive: true, force: true });
  }
}
