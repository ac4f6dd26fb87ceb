import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { PRESCALE_ESBUILD_OPTIONS } from '../../infra/bundling/esbuild-options';
import { SEMVER_GTE_IMPORTERS } from '../../infra/bundling/semver-gte-only';

const REPO_ROOT = path.resolve(__dirname, '../..');

/** Every `.js` file of a package, without its own nested node_modules. */
function packageSources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (name === 'node_modules') return [];
    if (statSync(file).isDirectory()) return packageSources(file);
    return name.endsWith('.js') ? [file] : [];
  });
}

/** What a module calls on the `semver` it requires, by the name it binds it to. */
function semverMembersUsed(source: string): string[] {
  const binding = /(?:var|const|let)\s+(\w+)\s*=\s*require\(['"]semver['"]\)/.exec(source)?.[1];
  if (!binding) return [];
  const members = [...source.matchAll(new RegExp(`\\b${binding}\\.(\\w+)`, 'g'))].map((m) => m[1] as string);
  // Any other use (passed on, called, spread) would need the whole module.
  const mentions = source.match(new RegExp(`(?<!['"])\\b${binding}\\b(?!['"])`, 'g'))?.length ?? 0;
  return mentions === members.length + 1 ? members : [...members, '(the whole module)'];
}

/** The entry bundled as a Lambda is, written out and required. */
async function bundledModule(contents: string): Promise<{ exports: unknown; inputs: string[] }> {
  const result = await build({
    ...PRESCALE_ESBUILD_OPTIONS,
    mainFields: [...PRESCALE_ESBUILD_OPTIONS.mainFields],
    external: [],
    plugins: [...PRESCALE_ESBUILD_OPTIONS.plugins],
    stdin: { contents, resolveDir: REPO_ROOT, loader: 'js', sourcefile: 'entry.js' },
    metafile: true,
    write: false,
  });
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'prescale-semver-')), 'index.js');
  writeFileSync(file, result.outputFiles[0]?.text ?? '');
  return { exports: require(file), inputs: Object.keys(result.metafile.inputs) };
}

describe('semverGteOnly', () => {
  it.each(SEMVER_GTE_IMPORTERS)('%s calls nothing of semver but gte', (name) => {
    const members = packageSources(path.join(REPO_ROOT, 'node_modules', name)).flatMap((file) =>
      semverMembersUsed(readFileSync(file, 'utf8')),
    );
    expect(members.length).toBeGreaterThan(0);
    expect(new Set(members)).toEqual(new Set(['gte']));
  });

  it("bundles X-Ray's version check with semver's gte alone, which still tells versions apart", async () => {
    const { exports, inputs } = await bundledModule(
      "module.exports = require('aws-xray-sdk-core/dist/lib/patchers/aws_p');",
    );
    const { captureAWS } = exports as { captureAWS: (sdk: { VERSION: string }) => unknown };
    expect(() => captureAWS({ VERSION: '2.7.14' })).toThrow('AWS SDK version 2.7.15 or greater required.');
    expect(captureAWS({ VERSION: '2.1692.0' })).toEqual({ VERSION: '2.1692.0' });
    const semverInputs = inputs.filter((i) => i.includes('node_modules/semver/'));
    expect(semverInputs).toContain('node_modules/semver/functions/gte.js');
    expect(semverInputs.filter((i) => /ranges|classes\/range|functions\/coerce/.test(i))).toEqual([]);
  });

  it('loads cls-hooked, whose load checks the Node.js version with gte, on this Node.js', async () => {
    const { exports, inputs } = await bundledModule("module.exports = require('cls-hooked');");
    expect(typeof (exports as { createNamespace: unknown }).createNamespace).toBe('function');
    expect(inputs.filter((i) => i.includes('cls-hooked/node_modules/semver'))).toEqual([]);
  });
});
