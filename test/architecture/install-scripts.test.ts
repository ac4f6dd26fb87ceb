import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(path.join(ROOT, file), 'utf8')) as T;
}

interface LockedPackage {
  hasInstallScript?: boolean;
  version?: string;
}

/** Names of the locked packages that ship an install script (npm's `hasInstallScript`). */
function packagesWithInstallScripts(): string[] {
  const lock = readJson<{ packages: Record<string, LockedPackage> }>('package-lock.json');
  const names = Object.entries(lock.packages)
    .filter(([, entry]) => entry.hasInstallScript === true)
    .map(([where]) => where.slice(where.lastIndexOf('node_modules/') + 'node_modules/'.length));
  return [...new Set(names)].sort();
}

// npm (11.16 on) runs a dependency's install script only when `allowScripts` approves it, and
// npm 12 blocks unreviewed ones: each such package is reviewed once, here, not on each machine.
describe('the install scripts of the dependencies', () => {
  const policy = readJson<{ allowScripts?: Record<string, boolean> }>('package.json').allowScripts ?? {};

  it('are each reviewed in package.json allowScripts', () => {
    const unreviewed = packagesWithInstallScripts().filter((name) => policy[name] === undefined);
    expect(unreviewed).toEqual([]);
  });

  it('name no package the lockfile no longer holds with a script', () => {
    const locked = new Set(packagesWithInstallScripts());
    expect(Object.keys(policy).filter((name) => !locked.has(name))).toEqual([]);
  });

  // The suite, `npm start` and the Lambda bundles run without any of them (docs/dependencies.md):
  // a script approved later must say why there.
  it('are all denied', () => {
    expect(Object.entries(policy).filter(([, allowed]) => allowed !== false)).toEqual([]);
  });
});
