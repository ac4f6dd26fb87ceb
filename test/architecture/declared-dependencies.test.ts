import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { importSpecifiers, REPO_ROOT, sourceFiles } from '../helpers/source-imports';

interface PackageJson {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
  bin?: string | Record<string, string>;
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(path.join(REPO_ROOT, file), 'utf8')) as T;
}

/** The package a module specifier names (`@scope/name/sub` → `@scope/name`), or none for a relative or built-in one. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('node:') || builtinModules.includes(specifier)) {
    return undefined;
  }
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The packages each source file names, keyed by the file's repo path. */
function packagesNamedBy(files: readonly string[]): Map<string, Set<string>> {
  const named = new Map<string, Set<string>>();
  for (const file of files) {
    for (const specifier of importSpecifiers(file)) {
      const name = packageOf(specifier);
      if (name !== undefined) named.set(name, (named.get(name) ?? new Set()).add(file));
    }
  }
  return named;
}

/** A package's type-only import (`aws-lambda`) is declared by its DefinitelyTyped package. */
function typesPackageOf(name: string): string {
  return `@types/${name.startsWith('@') ? name.slice(1).replace('/', '__') : name}`;
}

const pkg = readJson<PackageJson>('package.json');
const runtime = Object.keys(pkg.dependencies ?? {});
const development = Object.keys(pkg.devDependencies ?? {});
const declared = new Set([...runtime, ...development]);

// What a Lambda bundles: everything in shared/ and functions/ but the local composition roots.
const LOCAL_ONLY = /^shared\/(simulation|cli)\//;
const productFiles = ['shared', 'functions', 'infra'].flatMap(sourceFiles);
const lambdaFiles = productFiles.filter((file) => !file.startsWith('infra/') && !LOCAL_ONLY.test(file));
const everyFile = [...productFiles, ...sourceFiles('test'), 'jest.config.js'];
const namedAnywhere = packagesNamedBy(everyFile);

/** Whether a dev dependency is run as a tool: a script calls its binary, or a used package needs it as a peer. */
function runAsTool(name: string): boolean {
  if (!existsSync(path.join(REPO_ROOT, 'node_modules', name, 'package.json'))) return false;
  const own = readJson<PackageJson>(path.join('node_modules', name, 'package.json'));
  const binaries = typeof own.bin === 'string' ? [name.split('/').pop() ?? name] : Object.keys(own.bin ?? {});
  const scripts = Object.values(pkg.scripts ?? {}).join(' && ');
  if (binaries.some((bin) => new RegExp(`(^|[\\s&|;])${bin}(\\s|$)`).test(scripts))) return true;
  return [...namedAnywhere.keys()].some((user) => {
    if (!declared.has(user) || user === name) return false;
    const peers =
      readJson<PackageJson>(path.join('node_modules', user, 'package.json')).peerDependencies ?? {};
    return name in peers;
  });
}

// Each dependency must earn its place (docs/dependencies.md), and the code may lean only on what it
// declares: a package present because another one brought it may leave with that one's next version.
describe('the declared dependencies', () => {
  it('hold every package the code imports', () => {
    const undeclared = [...namedAnywhere.keys()].filter(
      (name) => !declared.has(name) && !declared.has(typesPackageOf(name)),
    );
    expect(undeclared).toEqual([]);
  });

  it('hold what a Lambda bundles among the runtime dependencies', () => {
    const bundled = packagesNamedBy(lambdaFiles);
    const devOnly = [...bundled.keys()].filter(
      (name) => !runtime.includes(name) && !declared.has(typesPackageOf(name)),
    );
    expect(devOnly).toEqual([]);
  });

  it('are each used: a runtime one by the product, a development one by the code or the scripts', () => {
    const product = packagesNamedBy(productFiles);
    const unusedRuntime = runtime.filter((name) => !product.has(name));
    const unusedDevelopment = development.filter((name) => {
      if (namedAnywhere.has(name) || runAsTool(name)) return false;
      const typed = name.startsWith('@types/') ? name.slice('@types/'.length).replace('__', '/') : undefined;
      // @types/node and @types/jest type the globals of every file and test.
      return !(typed !== undefined && (namedAnywhere.has(typed) || typed === 'node' || typed === 'jest'));
    });
    expect({ unusedRuntime, unusedDevelopment }).toEqual({ unusedRuntime: [], unusedDevelopment: [] });
  });

  it('pin the Powertools packages to one exact version', () => {
    // They share internals at one version, and a range lets `npm install` move one alone to a
    // release the registry does not hold whole (2.36.0's jmespath, README "Toolchain").
    const powertools = Object.entries(pkg.dependencies ?? {}).filter(([name]) =>
      name.startsWith('@aws-lambda-powertools/'),
    );
    expect(powertools.length).toBeGreaterThan(0);
    for (const [name, range] of powertools)
      expect({ name, range }).toEqual({ name, range: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
    expect(new Set(powertools.map(([, range]) => range)).size).toBe(1);
  });
});
