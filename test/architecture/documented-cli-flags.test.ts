import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/source-imports';

const PAGES = [
  'README.md',
  'docs/campaigns.md',
  'docs/evaluation.md',
  'docs/dependencies.md',
  'docs/OPERATIONS.md',
  'docs/rolling-updates.md',
  'docs/pricing.md',
  'docs/SECURITY.md',
  'docs/BENCHMARKS.md',
];
const scripts = (
  JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  }
).scripts;

/**
 * Each run of a script a page shows, with the long flags given to it: a line that runs
 * `npm run NAME -- …` (a shell line ending in `\` joined to the next), and a table row whose first
 * cell runs `npm run NAME`, whose other cells give its flags (README's Commands table:
 * `npm run bench:scaling` | … (`--metric-delay N` …)).
 */
function documentedRuns(page: string): { script: string; flags: string[] }[] {
  const text = readFileSync(path.join(REPO_ROOT, page), 'utf8').replace(/\\\n/g, ' ');
  const lines = [...text.matchAll(/^.*npm run (?:-s )?([a-z][\w:-]*) -- .*$/gm)];
  const rows = [...text.matchAll(/^\| `npm run (?:-s )?([a-z][\w:-]*)[^|]*\|.*$/gm)];
  return [...lines, ...rows].map((line) => ({
    script: line[1] as string,
    flags: [
      ...new Set(
        [...(line[0] as string).matchAll(/(?<![\w-])--([a-z][a-z\d-]*)/g)].map((m) => m[1] as string),
      ),
    ],
  }));
}

/** The source files a script runs: its entry file and the relative imports it reaches. */
function sourcesOf(script: string): string[] {
  const entry = /([\w./-]+\.ts)\b/.exec(scripts[script] ?? '')?.[1];
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file) || !existsSync(path.join(REPO_ROOT, file))) return;
    seen.add(file);
    const text = readFileSync(path.join(REPO_ROOT, file), 'utf8');
    for (const m of text.matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
      visit(path.posix.normalize(path.posix.join(path.posix.dirname(file), `${m[1]}.ts`)));
    }
  };
  if (entry) visit(entry);
  return [...seen];
}

const declaredByScript = new Map<string, Set<string>>();

/**
 * The long options a script's `util.parseArgs` declares (`name: { type: … }`, one a line or
 * inline as in `{ groups: { type: 'string' } }`), read once per script.
 */
function declaredFlags(script: string): Set<string> {
  const known = declaredByScript.get(script);
  if (known) return known;
  const sources = sourcesOf(script).map((file) => readFileSync(path.join(REPO_ROOT, file), 'utf8'));
  const declared = new Set(
    sources.flatMap((text) =>
      [...text.matchAll(/(?:^\s*|[{,] )'?([a-z][a-z\d-]*)'?: \{ type: '(?:string|boolean)'/gm)].map(
        (m) => m[1] as string,
      ),
    ),
  );
  declaredByScript.set(script, declared);
  return declared;
}

describe('the command-line flags the docs give npm scripts', () => {
  const runs = PAGES.flatMap((page) => documentedRuns(page).map((run) => ({ page, ...run })));

  it('are found (simulate, bench:frontier, campaign, …)', () => {
    expect(runs.flatMap((run) => run.flags).length).toBeGreaterThan(15);
    expect(runs.map((run) => run.script)).toEqual(
      expect.arrayContaining(['simulate', 'bench:frontier', 'bench:sweep-memory', 'campaign']),
    );
  });

  it("include the flags README's Commands table gives a script in another cell than its name", () => {
    const readmeFlags = (script: string) =>
      runs.filter((run) => run.page === 'README.md' && run.script === script).flatMap((run) => run.flags);
    expect(readmeFlags('bench:scaling')).toContain('metric-delay');
    expect(readmeFlags('bench:group-shapes')).toContain('metric-delay');
    expect(readmeFlags('verify:deploy')).toContain('static');
  });

  it('are each an option the script declares', () => {
    const unknown = runs.flatMap(({ page, script, flags }) => {
      if (flags.length === 0) return [];
      const declared = declaredFlags(script);
      if (declared.size === 0) return [`${page}: npm run ${script} declares no option its sources parse`];
      return flags
        .filter((flag) => !declared.has(flag))
        .map((flag) => `${page}: npm run ${script} -- --${flag}`);
    });
    expect(unknown).toEqual([]);
  });
});
