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
 * Names the Jest run's temp root (test/helpers/test-temp-root.ts sets it in the run's global
 * setup): new each run and removed when it ends. Defined here, where the tests read it from:
 * shared/ never imports test/.
 */
export const RUN_ROOT_ENV = 'PRESCALE_TEST_TMPDIR';
const RESOLUTIONS = 'resolutions.json';

/** How the bundling process resolved one bare import: a file, or null where it bundled the package. */
export interface BareResolution {
  readonly specifier: string;
  readonly resolveDir: string;
  readonly resolved: string | null;
}

/** Where the bundle of function `name` is kept for this run, or undefined outside a Jest run. */
function keptDir(name: string): string | undefined {
  const root = process.env[RUN_ROOT_ENV];
  return root ? path.join(root, 'simulation-bundles', name) : undefined;
}

/**
 * Copies into `outdir` the bundles of `names` kept earlier in this Jest run; @returns the names
 * copied. A bundle is copied only if `resolve` (this process's resolver) resolves every bare
 * import as the process that made it did: a Jest worker's resolver is not a child process's. A
 * Jest run bundles the same handlers ~50 times across its files (each `PrescaleLambdas.start`,
 * `invokeLambda`, campaign handler, deploy-matrix configuration), each ~250 ms of CPU (esbuild's
 * process and the resolver here, 2026-12-08); one run's sources never change and its root is new,
 * and esbuild writes each entry whole (no code splitting), so a kept bundle is the one esbuild
 * would write again, alone or beside any other entries.
 */
export function copyKeptBundles(
  names: readonly string[],
  outdir: string,
  resolve: (specifier: string, resolveDir: string) => string | null,
): string[] {
  return names.filter((name) => {
    const dir = keptDir(name);
    if (!dir || !existsSync(dir)) return false;
    const made = JSON.parse(readFileSync(path.join(dir, RESOLUTIONS), 'utf8')) as BareResolution[];
    const alike = made.every((r) => resolve(r.specifier, r.resolveDir) === r.resolved);
    if (alike) copyFileSync(path.join(dir, `${name}.js`), path.join(outdir, `${name}.js`));
    return alike;
  });
}

/**
 * Keeps each of `names` just written to `outdir` that is not kept yet, with how its build resolved
 * its bare imports (`resolutions`, the whole build's), for the rest of this Jest run.
 */
export function keepBundles(
  names: readonly string[],
  outdir: string,
  resolutions: readonly BareResolution[],
): void {
  const distinct = JSON.stringify([
    ...new Map(resolutions.map((r) => [`${r.resolveDir}\0${r.specifier}`, r])).values(),
  ]);
  for (const name of names) {
    const dir = keptDir(name);
    if (!dir || existsSync(dir)) continue;
    mkdirSync(path.dirname(dir), { recursive: true });
    // Written aside, then renamed: a worker reading at the same time sees all of it or none.
    const partial = mkdtempSync(`${dir}.partial-`);
    copyFileSync(path.join(outdir, `${name}.js`), path.join(partial, `${name}.js`));
    writeFileSync(path.join(partial, RESOLUTIONS), distinct);
    try {
      renameSync(partial, dir);
    } catch {
      // Another worker kept the same bundle first.
      rmSync(partial, { recursive: true, force: true });
    }
  }
}
