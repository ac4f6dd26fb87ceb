import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { PRESCALE_ESBUILD_OPTIONS } from '../../infra/bundling/esbuild-options';
import { SEMVER_GTE_IMPORTERS } from '../../infra/bundling/semver-gte-only';

const REPO_ROOT = path.resolve(__dirname, '../..');

interface Bundled {
  readonly exports: unknown;
  /** The bundle's input files, relative to the working directory (esbuild's `absWorkingDir`). */
  readonly inputs: string[];
}

/** `contents` bundled as a Lambda is (with or without Prescale's plugins), written out and required. */
async function bundled(contents: string, withPlugins = true): Promise<Bundled> {
  const result = await build({
    ...PRESCALE_ESBUILD_OPTIONS,
    mainFields: [...PRESCALE_ESBUILD_OPTIONS.mainFields],
    external: [],
    plugins: withPlugins ? [...PRESCALE_ESBUILD_OPTIONS.plugins] : [],
    stdin: { contents, resolveDir: REPO_ROOT, loader: 'js', sourcefile: 'entry.js' },
    metafile: true,
    write: false,
  });
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'prescale-semver-')), 'index.js');
  writeFileSync(file, result.outputFiles[0]?.text ?? '');
  return { exports: require(file), inputs: Object.keys(result.metafile.inputs) };
}

/** Any form of loading semver: `require`, an import, a dynamic import (subpaths included). */
const LOADS_SEMVER =
  /require\(\s*['"]semver(?:\/[^'"]*)?['"]\s*\)|from\s*['"]semver(?:\/[^'"]*)?['"]|import\(\s*['"]semver/;

/**
 * What a module calls on the `semver` it loads, or undefined when it loads none. Only
 * `var|const|let x = require('semver')` with `x.member` uses is read; any other form (destructuring,
 * an import, a subpath, a call on the require) counts as needing the whole module.
 */
function semverMembersUsed(source: string): string[] | undefined {
  if (!LOADS_SEMVER.test(source)) return undefined;
  const binding = /(?:var|const|let)\s+(\w+)\s*=\s*require\(['"]semver['"]\)/.exec(source)?.[1];
  if (!binding) return ['(the whole module)'];
  const members = [...source.matchAll(new RegExp(`\\b${binding}\\.(\\w+)`, 'g'))].map((m) => m[1] as string);
  // Any other use (passed on, called, spread) needs the whole module.
  const mentions = source.match(new RegExp(`(?<!['"])\\b${binding}\\b(?!['"])`, 'g'))?.length ?? 0;
  return mentions === members.length + 1 ? members : [...members, '(the whole module)'];
}

/** A bundle input's path from its package directory on (a worktree may link node_modules elsewhere). */
const fromNodeModules = (input: string): string => input.slice(input.lastIndexOf('node_modules/'));

/** The package a bundle input belongs to (its innermost node_modules entry). */
const packageOf = (input: string): string => input.split('node_modules/').at(-1)?.split('/')[0] ?? input;

/** The modules among a bundle's inputs that require `semver`, with the members they use. */
function semverImporters(inputs: readonly string[]): Map<string, string[]> {
  const importers = new Map<string, string[]>();
  const packaged = inputs.filter((i) => i.includes('node_modules/') && !i.includes('node_modules/semver/'));
  for (const input of packaged.filter((i) => /\.[cm]?js$/.test(i))) {
    const members = semverMembersUsed(readFileSync(path.resolve(input), 'utf8'));
    if (members) importers.set(input, members);
  }
  return importers;
}

const TRACER = "module.exports = require('@aws-lambda-powertools/tracer');";

describe('the semver importer detector of these tests', () => {
  it.each([
    "const { satisfies } = require('semver');",
    "require('semver').satisfies(v, r);",
    'const semver_1 = __importDefault(require("semver"));',
    "import semver from 'semver';",
    "const gte = require('semver/functions/gte');",
    "var semver = require('semver'); module.exports = semver;",
  ])('counts %s as an importer needing more than gte', (source) => {
    expect(semverMembersUsed(source)).toContain('(the whole module)');
  });

  it('reads `x.gte` on a required semver as gte alone, and a module loading none as no importer', () => {
    expect(semverMembersUsed("var semver = require('semver');\nsemver.gte(a, b);")).toEqual(['gte']);
    expect(semverMembersUsed('const semverish = require(name);')).toBeUndefined();
  });
});

describe('semverGteOnly', () => {
  it('covers every semver importer the tracer bundles, each calling nothing but gte', async () => {
    // Discovered without the plugin: with it, the whole semver package is never an input.
    const { inputs } = await bundled(TRACER, false);
    const importers = semverImporters(inputs);
    expect(new Set([...importers.keys()].map(packageOf))).toEqual(new Set(SEMVER_GTE_IMPORTERS));
    expect(new Set([...importers.values()].flat())).toEqual(new Set(['gte']));
  });

  it('bundles the tracer with semver gte alone, which still tells versions apart', async () => {
    const { inputs } = await bundled(TRACER);
    const semverInputs = inputs.filter((i) => i.includes('/semver/')).map(fromNodeModules);
    expect(semverInputs).toContain('node_modules/semver/functions/gte.js');
    expect(semverInputs.filter((i) => /ranges|classes\/range|coerce/.test(i))).toEqual([]);
    // X-Ray's SDK v2 patcher checks the SDK's version with gte.
    const patcher = inputs.find((i) => i.endsWith('patchers/aws_p.js'));
    expect(patcher).toBeDefined();
    const entry = `module.exports = require(${JSON.stringify(path.resolve(patcher ?? ''))});`;
    const xray = (await bundled(entry)).exports as { captureAWS: (sdk: { VERSION: string }) => unknown };
    expect(() => xray.captureAWS({ VERSION: '2.7.14' })).toThrow(
      'AWS SDK version 2.7.15 or greater required.',
    );
    expect(xray.captureAWS({ VERSION: '2.1692.0' })).toEqual({ VERSION: '2.1692.0' });
  });
});
