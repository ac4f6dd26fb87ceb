import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleFunctions } from '../../../../shared/simulation/run/bundle-handlers';
import { copyKeptBundles, keepBundles } from '../../../../shared/simulation/run/kept-bundles';
import { TEST_TEMP_ROOT_ENV as ROOT_ENV, withOwnTestTempRoot } from '../../../helpers/test-temp-root';

/** How the bundling process resolved its bare imports, and a resolver that agrees. */
const AS_MADE = [
  { specifier: 'zod', resolveDir: '/repo', resolved: '/repo/node_modules/zod/index.js' },
  { specifier: '@middy/core', resolveDir: '/repo', resolved: null },
];
const sameResolver = (specifier: string) => AS_MADE.find((r) => r.specifier === specifier)?.resolved ?? null;

describe('kept bundles', () => {
  const root = withOwnTestTempRoot('prescale-kept-bundles-');

  const outdirWith = (files: Record<string, string>) => {
    const dir = mkdtempSync(path.join(root(), 'out-'));
    for (const [name, code] of Object.entries(files)) writeFileSync(path.join(dir, `${name}.js`), code);
    return dir;
  };

  it('copies each function kept in this run, whatever it was bundled beside, and nothing else', () => {
    keepBundles(['a', 'b'], outdirWith({ a: 'A1', b: 'B1' }), AS_MADE);
    // The first kept stays: a second keep of a function changes nothing.
    keepBundles(['b', 'c'], outdirWith({ b: 'B2', c: 'C2' }), AS_MADE);
    const out = outdirWith({});
    expect(copyKeptBundles(['c', 'a', 'd', 'b'], out, sameResolver)).toEqual(['c', 'a', 'b']);
    const code = (n: string) => readFileSync(path.join(out, `${n}.js`), 'utf8');
    expect(['a', 'b', 'c'].map(code)).toEqual(['A1', 'B1', 'C2']);
    expect(existsSync(path.join(out, 'd.js'))).toBe(false);
  });

  it('copies nothing to a process that resolves a bare import otherwise (a child outside Jest)', () => {
    keepBundles(['a'], outdirWith({ a: 'A' }), AS_MADE);
    const nodeResolver = (specifier: string) =>
      specifier === '@middy/core' ? '/repo/node_modules/@middy/core/index.js' : sameResolver(specifier);
    expect(copyKeptBundles(['a'], outdirWith({}), nodeResolver)).toEqual([]);
    expect(copyKeptBundles(['a'], outdirWith({}), () => null)).toEqual([]);
    expect(copyKeptBundles(['a'], outdirWith({}), sameResolver)).toEqual(['a']);
  });

  it('keeps nothing outside a Jest run', () => {
    delete process.env[ROOT_ENV];
    keepBundles(['a'], outdirWith({ a: 'A' }), AS_MADE);
    process.env[ROOT_ENV] = root();
    expect(copyKeptBundles(['a'], outdirWith({}), sameResolver)).toEqual([]);
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

  it('gives a function bundled beside others the code esbuild writes for it alone', async () => {
    await bundleFunctions(['dispatch-scaling-run', 'scale-groups']);
    // scale-groups is copied, receive-campaign-event bundled: one call may do both.
    const mixed = await bundleFunctions(['scale-groups', 'receive-campaign-event']);
    delete process.env[ROOT_ENV];
    const alone = await bundleFunctions(['scale-groups']);
    const code = (files: Record<string, string>, name: string) => readFileSync(files[name] as string, 'utf8');
    expect(code(mixed, 'scale-groups')).toBe(code(alone, 'scale-groups'));
    expect(path.dirname(mixed['receive-campaign-event'] as string)).toBe(
      path.dirname(mixed['scale-groups'] as string),
    );
    expect(code(mixed, 'receive-campaign-event')).toContain('handler');
  });
});
