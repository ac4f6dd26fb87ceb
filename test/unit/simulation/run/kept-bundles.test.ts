import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundleFunctions } from '../../../../shared/simulation/run/bundle-handlers';
import { copyKeptBundles, keepBundles } from '../../../../shared/simulation/run/kept-bundles';

const ROOT_ENV = 'PRESCALE_TEST_TMPDIR';
/** How the bundling process resolved its bare imports, and a resolver that agrees. */
const AS_MADE = [
  { specifier: 'zod', resolveDir: '/repo', resolved: '/repo/node_modules/zod/index.js' },
  { specifier: '@middy/core', resolveDir: '/repo', resolved: null },
];
const sameResolver = (specifier: string) => AS_MADE.find((r) => r.specifier === specifier)?.resolved ?? null;

describe('kept bundles', () => {
  const savedRoot = process.env[ROOT_ENV];
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'prescale-kept-bundles-'));
    process.env[ROOT_ENV] = root;
  });
  afterEach(() => {
    process.env[ROOT_ENV] = savedRoot;
  });

  const outdirWith = (files: Record<string, string>) => {
    const dir = mkdtempSync(path.join(root, 'out-'));
    for (const [name, code] of Object.entries(files)) writeFileSync(path.join(dir, `${name}.js`), code);
    return dir;
  };

  it('copies what was kept for the same names in this run, and nothing for other names', () => {
    keepBundles(['a', 'b'], outdirWith({ a: 'A1', b: 'B1' }), AS_MADE);
    // The first kept stays: a second keep of the same names changes nothing.
    keepBundles(['a', 'b'], outdirWith({ a: 'A2', b: 'B2' }), []);
    const out = outdirWith({});
    expect(copyKeptBundles(['a', 'b'], out, sameResolver)).toBe(true);
    expect(['a', 'b'].map((n) => readFileSync(path.join(out, `${n}.js`), 'utf8'))).toEqual(['A1', 'B1']);
    expect(copyKeptBundles(['a'], outdirWith({}), sameResolver)).toBe(false);
    expect(copyKeptBundles(['b', 'a'], outdirWith({}), sameResolver)).toBe(false);
  });

  it('copies nothing to a process that resolves a bare import otherwise (a child outside Jest)', () => {
    keepBundles(['a'], outdirWith({ a: 'A' }), AS_MADE);
    const nodeResolver = (specifier: string) =>
      specifier === '@middy/core' ? '/repo/node_modules/@middy/core/index.js' : sameResolver(specifier);
    expect(copyKeptBundles(['a'], outdirWith({}), nodeResolver)).toBe(false);
    expect(copyKeptBundles(['a'], outdirWith({}), () => null)).toBe(false);
    expect(copyKeptBundles(['a'], outdirWith({}), sameResolver)).toBe(true);
  });

  it('keeps nothing outside a Jest run', () => {
    delete process.env[ROOT_ENV];
    keepBundles(['a'], outdirWith({ a: 'A' }), AS_MADE);
    process.env[ROOT_ENV] = root;
    expect(copyKeptBundles(['a'], outdirWith({}), sameResolver)).toBe(false);
  });

  it('gives from the second bundling on the very code esbuild wrote, in a directory of its own', async () => {
    const first = await bundleFunctions(['dispatch-scaling-run']);
    const second = await bundleFunctions(['dispatch-scaling-run']);
    delete process.env[ROOT_ENV];
    const fresh = await bundleFunctions(['dispatch-scaling-run']);
    const code = (files: Record<string, string>) =>
      readFileSync(files['dispatch-scaling-run'] as string, 'utf8');
    expect(second['dispatch-scaling-run']).not.toBe(first['dispatch-scaling-run']);
    expect(code(second)).toBe(code(fresh));
    expect(code(first)).toBe(code(fresh));
  });
});
